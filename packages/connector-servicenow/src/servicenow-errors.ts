import {
  type ErrorMapper,
  headerValue,
  httpStatusError,
  isJunctionError,
  JunctionError,
  type JunctionRequest,
  type Middleware,
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

/** The quota cancellation text (sheet §8.2), found in error envelopes and in cut-short bodies. */
const CANCELLED = /Transaction cancelled: maximum execution time exceeded/i

/** Codes this adapter adds to core's. */
export const SERVICENOW_ERROR_CODES = {
  /** The transaction quota (60 s Table API) cut the call; retry with a smaller page (sheet §8.2). */
  transactionCancelled: 'TRANSACTION_CANCELLED',
  /** A developer instance is hibernating: 200 with an HTML page (sheet §7.2); waking it takes minutes. */
  instanceHibernating: 'INSTANCE_HIBERNATING',
  /** More than ~10 requests queued on one session: 202 with an empty body (sheet §1.5). */
  sessionBusy: 'SESSION_BUSY',
} as const

/**
 * Maps ServiceNow's error envelope to typed errors. ServiceNow has no error codes, so its short
 * `error.message` ("No Record found", "User Not Authenticated", "Operation Failed"…) is the
 * `systemCode`, and the body is kept as `details`. A data-policy 403 is a validation error; the
 * quota's "Transaction cancelled" is `TRANSACTION_CANCELLED`; a 429 is a rate-limit rule's (with
 * `X-RateLimit-*`, it may last until the hourly reset) or the API_INT semaphores' (none, sheet §8.3).
 */
export const mapServiceNowError: ErrorMapper = (response, request) => {
  const body = errorBody(response.body)
  if (response.status === 429) {
    const rule = headerValue(response.headers, 'x-ratelimit-rule')
    const reset = Number(headerValue(response.headers, 'x-ratelimit-reset'))
    const retryAfterMs = parseRetryAfter(headerValue(response.headers, 'retry-after'))
    return new RateLimitError({
      ...responseErrorFields(response, request),
      message: body
        ? describe(body)
        : 'the instance has no free API semaphore (429 without a rate-limit rule)',
      systemCode: body?.message ?? 'Too Many Requests',
      details: { cause: rule === undefined ? 'semaphore' : 'rate-limit-rule', rule, error: body },
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(Number.isFinite(reset) && reset > 0 ? { resetAt: new Date(reset * 1000) } : {}),
    })
  }
  if (body === undefined) return undefined
  const fields = {
    ...responseErrorFields(response, request),
    message: describe(body),
    systemCode: body.message,
    details: body,
  }
  if (CANCELLED.test(body.message)) {
    return new JunctionError({
      ...fields,
      code: SERVICENOW_ERROR_CODES.transactionCancelled,
      retryable: false,
    })
  }
  if (response.status === 403 && body.detail?.startsWith('Data Policy Exception'))
    return new ValidationError(fields)
  if (response.status === 400 && body.message.startsWith('Invalid table')) return new ValidationError(fields)
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

function describe(body: ServiceNowErrorBody): string {
  return body.detail ? `${body.message}: ${body.detail}` : body.message
}

/**
 * Middleware under `errors` that names what a 200 can hide (sheet §7.2): an HTML page that says
 * "hibernating" (not retried: waking takes minutes), a body cut short by the transaction quota (not
 * retried as is: the query halves its page), and a 202 with an empty body (retried: the session's
 * queue drains). Other HTML pages and truncated bodies stay core's retryable errors.
 */
export function contentMiddleware(): Middleware {
  return (next) =>
    async <T>(request: JunctionRequest) => {
      try {
        const response = await next<T>(request)
        if (response.status === 202 && (response.body === undefined || response.body === '')) {
          throw new JunctionError({
            code: SERVICENOW_ERROR_CODES.sessionBusy,
            message: `${request.method} ${new URL(request.url).pathname} answered 202 with no body: the session has too many queued requests`,
            status: 202,
            retryable: true,
          })
        }
        return response
      } catch (error) {
        throw renamed(error)
      }
    }
}

function renamed(error: unknown): unknown {
  if (!(error instanceof JunctionError)) return error
  const snippet = error.snippet ?? ''
  if (isJunctionError(error, 'UNEXPECTED_CONTENT') && /hibernat/i.test(snippet)) {
    return new JunctionError({
      code: SERVICENOW_ERROR_CODES.instanceHibernating,
      message: 'the instance is hibernating (it answered with its HTML wake-up page); wake it and try again',
      status: error.status,
      method: error.method,
      path: error.path,
      retryable: false,
      cause: error,
    })
  }
  if (isJunctionError(error, 'MALFORMED_RESPONSE') && CANCELLED.test(snippet)) {
    return new JunctionError({
      code: SERVICENOW_ERROR_CODES.transactionCancelled,
      message:
        'the transaction quota cut the response short (Transaction cancelled: maximum execution time exceeded)',
      status: error.status,
      method: error.method,
      path: error.path,
      retryable: false,
      cause: error,
    })
  }
  return error
}
