import {
  AuthError,
  ConflictError,
  type ErrorMapper,
  httpStatusError,
  JunctionError,
  type JunctionErrorOptions,
  NotFoundError,
  RateLimitError,
  responseErrorFields,
  ValidationError,
} from '@junction/core'

/** One entry of Salesforce's REST error array: `[{"message", "errorCode", "fields"}]` (sheet §6.1). */
export interface SalesforceApiError {
  message: string
  errorCode: string
  fields?: string[]
}

type ErrorFields = Omit<JunctionErrorOptions, 'code'>
type Kind = (options: ErrorFields) => JunctionError

// A 401 with these words is not an expired session: a refresh would be refused the same way, so jsforce
// does not refresh on it, and neither do we (sheet §1.7).
const NOT_RENEWABLE = /not valid for use with the REST API|Connected app is not attached to Agent/i
// The concurrency variant of REQUEST_LIMIT_EXCEEDED ("ConcurrentRequests … Limit exceeded",
// "ConcurrentPerOrgLongTxn Limit exceeded."); its HTTP status is UNVERIFIED, so only the text decides.
const CONCURRENCY_LIMIT = /Concurrent/i

// errorCode → typed error (sheet §6.3). Codes not listed fall back to the HTTP status.
const KINDS: Readonly<Record<string, Kind>> = {
  INVALID_SESSION_ID: (options) =>
    new AuthError({
      ...options,
      code: NOT_RENEWABLE.test(options.message) ? 'AUTH_FAILED' : 'SESSION_EXPIRED',
    }),
  // The daily cap (403 "TotalRequests Limit exceeded.") frees only as the 24 h window rolls, so it is
  // not retried; a concurrency refusal clears in seconds and is.
  REQUEST_LIMIT_EXCEEDED: (options) =>
    new RateLimitError({ ...options, retryable: CONCURRENCY_LIMIT.test(options.message) }),
  SERVER_UNAVAILABLE: (options) =>
    new JunctionError({ ...options, code: 'SERVICE_UNAVAILABLE', retryable: true }),
  INSUFFICIENT_ACCESS: (options) => new JunctionError({ ...options, code: 'FORBIDDEN', retryable: false }),
  INSUFFICIENT_ACCESS_OR_READONLY: (options) =>
    new JunctionError({ ...options, code: 'FORBIDDEN', retryable: false }),
  API_DISABLED_FOR_ORG: (options) => new JunctionError({ ...options, code: 'FORBIDDEN', retryable: false }),
  NOT_FOUND: (options) => new NotFoundError(options),
  // Observed (not documented) as the 404 for a record in the recycle bin.
  ENTITY_IS_DELETED: (options) => new NotFoundError(options),
  DUPLICATE_VALUE: (options) => new ConflictError(options),
  DUPLICATES_DETECTED: (options) => new ConflictError(options),
  // Lock contention is transient: the same write usually succeeds a moment later. ConflictError is
  // never retryable, so this one is a plain JunctionError with the same code.
  UNABLE_TO_LOCK_ROW: (options) => new JunctionError({ ...options, code: 'CONFLICT', retryable: true }),
  ...Object.fromEntries(
    [
      'REQUIRED_FIELD_MISSING',
      'INVALID_FIELD',
      'INVALID_TYPE',
      'MALFORMED_QUERY',
      'MALFORMED_ID',
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      'INVALID_EMAIL_ADDRESS',
      'STRING_TOO_LONG',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'INVALID_CROSS_REFERENCE_KEY',
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      'ENTITY_IS_LOCKED',
      'JSON_PARSER_ERROR',
      'MISSING_ARGUMENT',
      'EXCEEDED_ID_LIMIT',
      'INVALID_QUERY_LOCATOR',
      'INVALID_REPLICATION_DATE',
      'PROCESSING_HALTED',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
    ].map((code) => [code, (options: ErrorFields) => new ValidationError(options)]),
  ),
}

/**
 * Maps a Salesforce REST error body (an array of `{message, errorCode, fields}`) to a typed error
 * carrying `errorCode` as `systemCode` and the entries as `details`. Other bodies (the OAuth object,
 * HTML from the edge) fall back to the status mapping.
 */
export const mapSalesforceError: ErrorMapper = (response, request) => {
  const errors = apiErrors(bodyOf(response.body))
  const first = errors?.[0]
  if (errors === undefined || first === undefined) return undefined
  const options: ErrorFields = {
    ...responseErrorFields(response, request),
    message: `${first.errorCode}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
    systemCode: first.errorCode,
    details: errors,
  }
  return KINDS[first.errorCode]?.(options) ?? httpStatusError(response, request, options)
}

/** One per-record error of sObject Collections, Composite tree and Bulk: `statusCode`, not `errorCode`. */
export interface SalesforceRecordError {
  statusCode: string
  message: string
  fields?: readonly string[] | undefined
}

/** Where a per-record error happened, for the typed error's fields. */
export interface RecordErrorContext {
  operation: string
  entity?: string | undefined
  status?: number | undefined
}

/**
 * Maps a per-record error (Collections `{statusCode, message, fields}`, or a REST array entry) into the
 * same error family as whole-call errors, so `UNABLE_TO_LOCK_ROW` is retryable and
 * `REQUIRED_FIELD_MISSING` a validation error wherever they come from.
 */
export function mapRecordError(
  errors: ReadonlyArray<SalesforceRecordError>,
  context: RecordErrorContext,
): JunctionError {
  const first = errors[0] ?? { statusCode: 'UNKNOWN_ERROR', message: 'Salesforce rejected the record' }
  const options: ErrorFields = {
    message: `${first.statusCode}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
    system: 'salesforce',
    operation: context.operation,
    entity: context.entity,
    status: context.status,
    systemCode: first.statusCode,
    details: errors,
  }
  return (
    KINDS[first.statusCode]?.(options) ??
    new JunctionError({ ...options, code: 'BAD_REQUEST', retryable: false })
  )
}

// Bulk 2.0 answers errors in the REST shape too, sometimes as text.
function bodyOf(body: unknown): unknown {
  if (typeof body !== 'string') return body
  try {
    return JSON.parse(body)
  } catch {
    return body
  }
}

/** The entries of a REST error array, or undefined when the body is not one. */
export function apiErrors(body: unknown): SalesforceApiError[] | undefined {
  if (!Array.isArray(body)) return undefined
  const errors = body.filter(isApiError)
  return errors.length === body.length ? errors : undefined
}

function isApiError(value: unknown): value is SalesforceApiError {
  if (typeof value !== 'object' || value === null) return false
  const { message, errorCode } = value as Record<string, unknown>
  return typeof message === 'string' && typeof errorCode === 'string'
}
