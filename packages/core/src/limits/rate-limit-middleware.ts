import type { Middleware } from '../pipeline/middleware-stack.js'
import type { JunctionRequest } from '../pipeline/request.js'
import type { Limiter } from './limiter.js'

/**
 * Middleware that sends each request through `limiter` (place it above `auth`, so a throttled request
 * holds no token refresh). The request's `priority` decides its place in the queue.
 */
export function rateLimitMiddleware(limiter: Limiter): Middleware {
  return (next) =>
    <T>(request: JunctionRequest) =>
      limiter.schedule(request, () => next<T>(request))
}
