import {
  AuthError,
  ConflictError,
  NotFoundError,
  RateLimitError,
  ValidationError,
} from '../errors/error-kinds.js'
import { JunctionError, type JunctionErrorCode, type JunctionErrorOptions } from '../errors/junction-error.js'
import type { Middleware } from './middleware-stack.js'
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
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headerValue(response.headers, 'retry-after'))
    return new RateLimitError(retryAfterMs === undefined ? fields : { ...fields, retryAfterMs })
  }
  return new JunctionError({ retryable: status >= 500, ...fields, code: statusCode(status) })
}

function statusCode(status: number): JunctionErrorCode {
  if (status === 502 || status === 503 || status === 504) return 'SERVICE_UNAVAILABLE'
  if (status >= 500) return 'SERVER_ERROR'
  if (status === 403) return 'FORBIDDEN'
  if (status === 400) return 'BAD_REQUEST'
  return 'HTTP_ERROR'
}

/** Middleware that turns every response with status ≥ 400 into a thrown `JunctionError`. */
export function httpErrors(mapError?: ErrorMapper): Middleware {
  return (next, context) =>
    async <T>(request: JunctionRequest) => {
      const response = await next<T>(request)
      if (response.status < 400) return response
      const error = mapError?.(response, request) ?? httpStatusError(response, request)
      throw Object.assign(error, { system: error.system ?? context.system })
    }
}
