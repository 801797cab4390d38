import type { Middleware } from '../pipeline/middleware-stack.js'
import { headerValue, type JunctionRequest, type JunctionResponse } from '../pipeline/request.js'
import { parseRetryAfter } from '../pipeline/retry-after.js'
import type { Limiter } from './limiter.js'
import type { QuotaReader } from './quota-reader.js'

/**
 * Middleware that feeds the quota each response reports into `limiter` and emits `quota`. Place it
 * under `errors` (just above the transport) so it sees every raw response, 429s included; a 429's
 * `Retry-After` pauses the limiter for that long.
 */
export function quotaMiddleware(reader: QuotaReader, limiter: Limiter): Middleware {
  return (next, context) => {
    const learn = (request: JunctionRequest, sentAt: number, response: JunctionResponse): void => {
      const quota = reader(response)
      if (quota !== undefined) {
        limiter.report(quota, sentAt)
        context.events.emit('quota', {
          system: context.system,
          connection: context.connection,
          operation: request.operation?.name,
          entity: request.operation?.entity,
          used: quota.used,
          limit: quota.limit,
          remaining: quota.remaining ?? Math.max(0, quota.limit - quota.used),
          resetAt: quota.resetAt,
        })
      }
      if (response.status === 429) {
        const retryAfterMs = parseRetryAfter(headerValue(response.headers, 'retry-after'))
        if (retryAfterMs !== undefined) limiter.pause(retryAfterMs)
      }
    }
    return <T>(request: JunctionRequest) => {
      const sentAt = performance.now()
      return next<T>(request).then((response) => {
        learn(request, sentAt, response)
        return response
      })
    }
  }
}
