import { AuthError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import type { Middleware } from '../pipeline/middleware-stack.js'
import type { JunctionRequest } from '../pipeline/request.js'
import { Redactor } from '../redaction/redactor.js'
import type { AuthContext, AuthProvider } from './auth-provider.js'

/**
 * Attaches credentials to each request. When the system refuses them (`SESSION_EXPIRED`, which a 401
 * maps to by default, or a 401 mapped to a non-auth error) and the provider can renew them, the
 * request is authorized again and replayed once; a second refusal throws `AuthError`
 * `SESSION_EXPIRED`. When the provider cannot renew (basic, API key), the refusal is `AUTH_FAILED`.
 * Errors leave scrubbed of the provider's secrets.
 */
export function authMiddleware(provider: AuthProvider): Middleware {
  const redactor = new Redactor(() => provider.secrets())
  return (next) =>
    async <T>(request: JunctionRequest) => {
      const context: AuthContext = { send: next, signal: request.signal }
      try {
        const authorized = await provider.authorize(request, context)
        try {
          return await next<T>(authorized)
        } catch (error) {
          if (!isRefusal(error)) throw error
          // Fixed credentials (basic, API key) cannot be renewed: a 401 means they were refused.
          if (provider.invalidate?.(authorized) !== true) throw credentialsRefused(error)
          if (!isReplayable(request)) throw error
        }
        const renewed = await provider.authorize(request, context)
        try {
          return await next<T>(renewed)
        } catch (error) {
          if (!isRefusal(error)) throw error
          // Drop the refused token too, so the next call starts from a fresh one.
          provider.invalidate?.(renewed)
          throw refusedTwice(error)
        }
      } catch (error) {
        throw redactor.error(error)
      }
    }
}

// An adapter that maps a 401 to another AuthError code (e.g. `AUTH_FAILED` for Salesforce's "session not
// valid for use with the REST API") says renewing would not help, so that is not a refusal to act on.
function isRefusal(error: unknown): error is JunctionError {
  if (!(error instanceof JunctionError)) return false
  return error.code === 'SESSION_EXPIRED' || (error.status === 401 && !(error instanceof AuthError))
}

// A stream body has been consumed by the first attempt and cannot be sent again.
function isReplayable(request: JunctionRequest): boolean {
  const body = request.body
  return !(body?.type === 'raw' && typeof body.value !== 'string' && !(body.value instanceof Uint8Array))
}

function refusedTwice(error: JunctionError): AuthError {
  if (error instanceof AuthError && error.code === 'SESSION_EXPIRED') return error
  return refusal(error, 'SESSION_EXPIRED', 'was refused again with renewed credentials')
}

function credentialsRefused(error: JunctionError): JunctionError {
  if (error instanceof AuthError && error.code === 'AUTH_FAILED') return error
  // An adapter's own mapping of a 401 (e.g. a system error code) is more telling than ours: keep it.
  if (!(error instanceof AuthError)) return error
  return refusal(error, 'AUTH_FAILED', 'was refused: the credentials are not accepted')
}

function refusal(error: JunctionError, code: 'SESSION_EXPIRED' | 'AUTH_FAILED', problem: string): AuthError {
  return new AuthError({
    code,
    message: `${error.method ?? 'request'} ${error.path ?? ''} ${problem}`,
    status: error.status,
    system: error.system,
    operation: error.operation,
    entity: error.entity,
    method: error.method,
    path: error.path,
    systemCode: error.systemCode,
    snippet: error.snippet,
    cause: error,
  })
}
