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

// errorCode → typed error (sheet §6.3). Codes not listed fall back to the HTTP status.
const KINDS: Readonly<Record<string, Kind>> = {
  INVALID_SESSION_ID: (options) => new AuthError({ ...options, code: 'SESSION_EXPIRED' }),
  // The daily cap (403 "TotalRequests Limit exceeded.") frees only as the 24 h window rolls, so it is
  // not worth an immediate retry; the concurrency variant shares the code (its status is UNVERIFIED).
  REQUEST_LIMIT_EXCEEDED: (options) => new RateLimitError({ ...options, retryable: false }),
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
    ].map((code) => [code, (options: ErrorFields) => new ValidationError(options)]),
  ),
}

/**
 * Maps a Salesforce REST error body (an array of `{message, errorCode, fields}`) to a typed error
 * carrying `errorCode` as `systemCode` and the entries as `details`. Other bodies (the OAuth object,
 * HTML from the edge) fall back to the status mapping.
 */
export const mapSalesforceError: ErrorMapper = (response, request) => {
  const errors = apiErrors(response.body)
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
