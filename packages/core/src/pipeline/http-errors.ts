import {
  AuthError,
  ConflictError,
  NotFoundError,
  RateLimitError,
  ValidationError,
} from '../errors/error-kinds.js'
import { JunctionError, type JunctionErrorCode, type JunctionErrorOptions } from '../errors/junction-error.js'
import type { Middleware } from './middleware-stack.js'
import { DEFAULT_RESET_HEADERS, parseRateLimitReset } from './rate-limit-reset.js'
import { headerValue, type JunctionRequest, type JunctionResponse } from './request.js'
import { parseRetryAfter } from './retry-after.js'

const SNIPPET_LENGTH = 512

/** Maps a failed response to a typed error; return `undefined` to fall back to the status mapping. */
export type ErrorMapper = (response: JunctionResponse, request: JunctionRequest) => JunctionError | undefined

/** A bounded excerpt of a body for error messages (redaction happens at the connector boundary). */
export function bodySnippet(body: unknown, length = SNIPPET_LENGTH): string | undefined {
  if (body === undefined || body === null || body === '') return undefined
  const text =
    typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body)
  return text.length > length ? `${text.slice(0, length)}…` : text
}

/** The fields every error from a response shares: where it came from and what came back. */
export function responseErrorFields(
  response: JunctionResponse,
  request: JunctionRequest,
): Omit<JunctionErrorOptions, 'code' | 'message'> {
  return {
    status: response.status,
    method: request.method,
    path: new URL(request.url).pathname,
    operation: request.operation?.name,
    entity: request.operation?.entity,
    snippet: bodySnippet(response.body),
  }
}

/** What an adapter may add to the status-based error: the system's own message, code and detail. */
export type HttpErrorOverrides = Partial<
  Pick<JunctionErrorOptions, 'message' | 'systemCode' | 'details' | 'retryable' | 'snippet'>
>

/** The status-based error for a failed response, used when no adapter mapping applies. */
export function httpStatusError(
  response: JunctionResponse,
  request: JunctionRequest,
  overrides: HttpErrorOverrides = {},
): JunctionError {
  const base = responseErrorFields(response, request)
  const status = response.status
  const fields = {
    ...base,
    ...overrides,
    message: overrides.message ?? `${request.method} ${base.path} answered ${status}`,
  }
  if (status === 401) return new AuthError({ ...fields, code: 'SESSION_EXPIRED' })
  if (status === 404) return new NotFoundError(fields)
  if (status === 409 || status === 412) return new ConflictError(fields)
  if (status === 422) return new ValidationError(fields)
  // RFC 9110 §10.2.3 gives Retry-After meaning on a 429 and a 503: when to come back.
  const retryAfterMs =
    status === 429 || status === 503
      ? parseRetryAfter(headerValue(response.headers, 'retry-after'))
      : undefined
  if (status === 429) return new RateLimitError({ ...fields, retryAfterMs })
  return new JunctionError({ retryable: status >= 500, ...fields, retryAfterMs, code: statusCode(status) })
}

/** Options for {@link httpErrors}. */
export interface HttpErrorsOptions {
  /**
   * Headers that say when a throttled caller's window frees (e.g. `x-ratelimit-reset`), read into the
   * error's `resetAt` as described at `parseRateLimitReset`; by default the common ones.
   */
  resetHeaders?: readonly string[] | undefined
}

/**
 * Gives an error (the adapter's or the status mapping's) what the response said about when to try
 * again, unless it says so already: `Retry-After` on a 429 or 503, and a reset header when throttled.
 */
function withServerWait(
  error: JunctionError,
  response: JunctionResponse,
  resetHeaders: readonly string[],
): JunctionError {
  const throttled = response.status === 429 || error.code === 'RATE_LIMITED'
  const retryAfterMs =
    error.retryAfterMs ??
    (throttled || response.status === 503
      ? parseRetryAfter(headerValue(response.headers, 'retry-after'))
      : undefined)
  const resetAt = error.resetAt ?? (throttled ? firstReset(response, resetHeaders) : undefined)
  if (retryAfterMs === error.retryAfterMs && resetAt === error.resetAt) return error
  return Object.assign(error, { retryAfterMs, resetAt })
}

function firstReset(response: JunctionResponse, resetHeaders: readonly string[]): Date | undefined {
  for (const name of resetHeaders) {
    const resetAt = parseRateLimitReset(headerValue(response.headers, name))
    if (resetAt !== undefined) return resetAt
  }
  return undefined
}

function statusCode(status: number): JunctionErrorCode {
  if (status === 502 || status === 503 || status === 504) return 'SERVICE_UNAVAILABLE'
  if (status >= 500) return 'SERVER_ERROR'
  if (status === 403) return 'FORBIDDEN'
  if (status === 400) return 'BAD_REQUEST'
  return 'HTTP_ERROR'
}

/**
 * Middleware that turns every response with status ≥ 400 into a thrown `JunctionError`, carrying
 * `retryAfterMs` / `resetAt` from the response's headers so that retry above it can honour them.
 */
export function httpErrors(mapError?: ErrorMapper, options: HttpErrorsOptions = {}): Middleware {
  const resetHeaders = options.resetHeaders ?? DEFAULT_RESET_HEADERS
  return (next, context) =>
    <T>(request: JunctionRequest) =>
      next<T>(request).then((response) => {
        if (response.status < 400) return response
        const error = withServerWait(
          mapError?.(response, request) ?? httpStatusError(response, request),
          response,
          resetHeaders,
        )
        throw Object.assign(error, { system: error.system ?? context.system })
      })
}
