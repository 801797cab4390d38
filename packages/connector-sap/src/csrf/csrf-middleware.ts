import { isJunctionError, type JunctionRequest, type Middleware } from '@junction/core'
import type { CsrfSession, CsrfToken } from './csrf-session.js'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Sends every write to the OData service with the session's CSRF token and cookies, and on a 403 with
 * `x-csrf-token: Required` (an expired session) fetches a new token once and replays the write once
 * (sheet §3.2). Reads, calls outside the service root (SOAP) and requests that already carry a token
 * pass through untouched.
 */
export function csrfMiddleware(session: CsrfSession, serviceRoot: string): Middleware {
  return (next) =>
    async <T>(request: JunctionRequest) => {
      if (
        SAFE.has(request.method) ||
        !request.url.startsWith(serviceRoot) ||
        'x-csrf-token' in request.headers
      ) {
        return next<T>(request)
      }
      const first = await session.token(next, request)
      try {
        return await next<T>(withToken(request, first))
      } catch (error) {
        if (!isJunctionError(error, 'CSRF_REQUIRED')) throw error
        await session.invalidate(first)
      }
      return next<T>(withToken(request, await session.token(next, request)))
    }
}

function withToken(request: JunctionRequest, token: CsrfToken): JunctionRequest {
  const headers: Record<string, string> = { ...request.headers }
  if (token.token !== undefined) headers['x-csrf-token'] = token.token
  if (token.cookie !== undefined)
    headers.cookie = headers.cookie ? `${headers.cookie}; ${token.cookie}` : token.cookie
  return { ...request, headers }
}
