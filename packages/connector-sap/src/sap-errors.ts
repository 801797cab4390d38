import {
  type ErrorMapper,
  headerValue,
  httpStatusError,
  JunctionError,
  RateLimitError,
  responseErrorFields,
} from '@junction/core'

/** The OData error body (V2 `message.value`, V4 plain `message`), as far as the mapping reads it. */
interface ODataError {
  code: string
  message: string
  details: unknown
}

/**
 * Maps SAP Gateway error answers to typed errors: the OData error body (sheet §5.1/5.2, with the
 * message class as `systemCode`), a CSRF refusal (403 + `x-csrf-token: Required`, code `CSRF_REQUIRED`)
 * and an API Management quota fault (a 500 whose `fault.detail.errorcode` is `policies.ratelimit.*`).
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
  if (error === undefined) return undefined
  return httpStatusError(response, request, {
    message: `${error.code}: ${error.message}`,
    systemCode: error.code,
    details: error.details,
  })
}

function odataError(body: unknown): ODataError | undefined {
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
