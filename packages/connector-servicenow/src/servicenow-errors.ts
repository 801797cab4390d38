import {
  type ErrorMapper,
  headerValue,
  httpStatusError,
  parseRetryAfter,
  RateLimitError,
  responseErrorFields,
  ValidationError,
} from '@junction/core'

/** ServiceNow's error body: `{"error": {"message", "detail"}, "status": "failure"}`; `detail` may be null. */
export interface ServiceNowErrorBody {
  message: string
  detail: string | null
}

/**
 * Maps ServiceNow's error envelope to typed errors. ServiceNow has no error codes, so its short
 * `error.message` ("No Record found", "User Not Authenticated", "Operation Failed"…) is the
 * `systemCode`, and the body is kept as `details`. A 403 whose detail is a data-policy exception is a
 * validation error (mandatory fields missing, sheet §7.1); a 429 carries `Retry-After` and the rule's
 * `X-RateLimit-Reset`.
 */
export const mapServiceNowError: ErrorMapper = (response, request) => {
  const body = errorBody(response.body)
  if (body === undefined) return undefined
  const fields = {
    ...responseErrorFields(response, request),
    message: body.detail ? `${body.message}: ${body.detail}` : body.message,
    systemCode: body.message,
    details: body,
  }
  if (response.status === 403 && body.detail?.startsWith('Data Policy Exception'))
    return new ValidationError(fields)
  if (response.status === 429) {
    const retryAfterMs = parseRetryAfter(headerValue(response.headers, 'retry-after'))
    const reset = Number(headerValue(response.headers, 'x-ratelimit-reset'))
    return new RateLimitError({
      ...fields,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(Number.isFinite(reset) && reset > 0 ? { resetAt: new Date(reset * 1000) } : {}),
    })
  }
  return httpStatusError(response, request, fields)
}

/** The `error` object of a ServiceNow error envelope, or undefined when the body is not one. */
export function errorBody(body: unknown): ServiceNowErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const error = (body as Record<string, unknown>).error
  if (typeof error !== 'object' || error === null) return undefined
  const { message, detail } = error as Record<string, unknown>
  if (typeof message !== 'string') return undefined
  return { message, detail: typeof detail === 'string' ? detail : null }
}
