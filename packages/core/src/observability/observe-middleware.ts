import { JunctionError } from '../errors/junction-error.js'
import { silentLogger } from '../logging/logger.js'
import type { Middleware } from '../pipeline/middleware-stack.js'
import type { JunctionRequest, JunctionResponse } from '../pipeline/request.js'
import type { JunctionEventMap } from './junction-events.js'
import { requestPath } from './request-path.js'
import { addOperationRetries } from './retry-count.js'

/**
 * Observes each request once, however many attempts retry makes beneath it (add it as `observe`,
 * above `retry`): emits `request:start` and `request:end` (duration, status or error code, and the
 * retries that `retry` reports on the response or error), and logs the end at debug level. Metrics and
 * telemetry subscribe to these events (`createMetrics().observe(connector.events)`), so the middleware
 * itself holds no state.
 */
export function observeMiddleware(): Middleware {
  return (next, context) => {
    const { events, logger } = context
    const logs = logger !== silentLogger

    // One object shape for every end event (no spread of an outcome): this runs on every request.
    const finish = (
      request: JunctionRequest,
      started: number,
      retries: number,
      status: number | undefined,
      errorCode: string | undefined,
    ): void => {
      addOperationRetries(request.operation, retries)
      if (!logs && !events.has('request:end')) return
      const end: JunctionEventMap['request:end'] = {
        system: context.system,
        connection: context.connection,
        operation: request.operation?.name,
        entity: request.operation?.entity,
        method: request.method,
        path: requestPath(request.url),
        durationMs: performance.now() - started,
        retries,
        status,
        errorCode,
      }
      events.emit('request:end', end)
      if (logs) logger.debug({ ...end }, 'request end')
    }

    // `.then` rather than `async`/`await`: fewer promises and microtask turns on every request.
    return <T>(request: JunctionRequest): Promise<JunctionResponse<T>> => {
      if (events.has('request:start')) {
        events.emit('request:start', {
          system: context.system,
          connection: context.connection,
          operation: request.operation?.name,
          entity: request.operation?.entity,
          method: request.method,
          path: requestPath(request.url),
        })
      }
      const started = performance.now()
      return next<T>(request).then(
        (response) => {
          finish(request, started, response.retries ?? 0, response.status, undefined)
          return response
        },
        (error: unknown) => {
          if (error instanceof JunctionError)
            finish(request, started, error.retries, error.status, error.code)
          else finish(request, started, 0, undefined, 'UNEXPECTED')
          throw error
        },
      )
    }
  }
}
