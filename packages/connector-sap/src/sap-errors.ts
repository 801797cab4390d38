import {
  ConflictError,
  type ErrorMapper,
  headerValue,
  httpStatusError,
  JunctionError,
  RateLimitError,
  responseErrorFields,
} from '@junction/core'
import { readSoapFault } from './soap/soap-fault.js'

/** The OData error body (V2 `message.value`, V4 plain `message`), as far as the mapping reads it. */
interface ODataError {
  code: string
  message: string
  details: unknown
}

/**
 * Maps SAP answers to typed errors, in one place:
 * - a CSRF refusal (403 + `x-csrf-token: Required`) → `CSRF_REQUIRED`;
 * - an API Management quota fault (a 500 whose `fault.detail.errorcode` is `policies.ratelimit.*`,
 *   Apigee's default, sheet §6) → `RATE_LIMITED`, retryable;
 * - 412 → `ConflictError` carrying the record's current ETag in `details.currentEtag` when the answer
 *   has an `etag` header; 428 → `PRECONDITION_REQUIRED` (the set wants `If-Match`);
 * - a SOAP fault → `SOAP_FAULT` with the ABAP exception name as `systemCode`;
 * - the V2 and V4 OData error bodies (sheet §5.1/5.2) by status, the message class as `systemCode`.
 */
export const mapSapError: ErrorMapper = (response, request) => {
  const fields = responseErrorFields(response, request)
  if (
    response.status === 403 &&
    headerValue(response.headers, 'x-csrf-token')?.toLowerCase() === 'required'
  ) {
    return new JunctionError({
      ...fields,
      code: 'CSRF_REQUIRED',
      message: 'SAP refused the write: CSRF token required',
    })
  }
  const quota = quotaFault(response.body)
  if (quota !== undefined) {
    return new RateLimitError({ ...fields, message: `SAP API Management: ${quota}`, systemCode: quota })
  }
  const error = odataError(response.body)
  const message = error === undefined ? undefined : `${error.code}: ${error.message}`
  if (response.status === 412) {
    const currentEtag = headerValue(response.headers, 'etag')
    return new ConflictError({
      ...fields,
      message:
        message ?? `${request.method} ${fields.path} was refused: the record changed since its ETag was read`,
      systemCode: error?.code,
      details: { currentEtag, errors: error?.details },
    })
  }
  if (response.status === 428) {
    return new JunctionError({
      ...fields,
      code: 'PRECONDITION_REQUIRED',
      message: message ?? `${request.method} ${fields.path} needs If-Match: read the record's ETag first`,
      systemCode: error?.code,
    })
  }
  const fault = readSoapFault(response.body)
  if (fault !== undefined) {
    return new JunctionError({
      ...fields,
      code: 'SOAP_FAULT',
      message: `SAP SOAP fault: ${fault.text ?? fault.faultString}`,
      systemCode: fault.name ?? fault.faultString,
      retryable: false,
      details: fault,
    })
  }
  if (error === undefined) return undefined
  return httpStatusError(response, request, { message, systemCode: error.code, details: error.details })
}

/** Reads the V2 or V4 OData error body, or `undefined` when the body is not one. */
export function odataError(body: unknown): ODataError | undefined {
  const error = field(body, 'error')
  const code = field(error, 'code')
  const message = field(error, 'message')
  const text = typeof message === 'string' ? message : field(message, 'value')
  if (typeof code !== 'string' || typeof text !== 'string') return undefined
  const details = field(field(error, 'innererror'), 'errordetails') ?? field(error, 'details')
  return { code, message: text, details }
}

// Apigee answers a Quota or SpikeArrest violation with 500 by default (sheet §6).
function quotaFault(body: unknown): string | undefined {
  const code = field(field(field(body, 'fault'), 'detail'), 'errorcode')
  return typeof code === 'string' && code.startsWith('policies.ratelimit.') ? code : undefined
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined
}
