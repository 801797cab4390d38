import { JunctionError } from '../errors/junction-error.js'
import { silentLogger } from '../logging/logger.js'
import type { Middleware } from '../pipeline/middleware-stack.js'
import type { JunctionRequest, JunctionResponse } from '../pipeline/request.js'
import type { JunctionEventMap } from './junction-events.js'
import { requestPath } from './request-path.js'
import { addOperationRetries, countRetriesOn, type RetryTally, withRetryTally } from './retry-count.js'

/**
 * Observes each request once, however many attempts retry makes beneath it (add it as `observe`,
 * above `retry`): emits `request:start` and `request:end` (duration, status or error code, and the
 * retries counted from `retry` events), and logs the end at debug level. Metrics and telemetry subscribe to these events
 * (`createMetrics().observe(connector.events)`), so the middleware itself holds no state.
 */
export function observeMiddleware(): Middleware {
  return (next, context) => {
    const { events, logger } = context
    countRetriesOn(events)
    const logs = logger !== silentLogger

    const finish = (
      request: JunctionRequest,
      path: string,
      started: number,
      tally: RetryTally,
      outcome: { status: number } | { errorCode: string; status: number | undefined },
    ): void => {
      addOperationRetries(request.operation, tally.retries)
      if (!logs && !events.has('request:end')) return
      const end: JunctionEventMap['request:end'] = {
        system: context.system,
        connection: context.connection,
        operation: request.operation?.name,
        entity: request.operation?.entity,
        method: request.method,
        path,
        durationMs: performance.now() - started,
        retries: tally.retries,
        ...outcome,
      }
      events.emit('request:end', end)
      if (logs) logger.debug({ ...end }, 'request end')
    }

    return async <T>(request: JunctionRequest): Promise<JunctionResponse<T>> => {
      const path = requestPath(request.url)
      if (events.has('request:start')) {
        events.emit('request:start', {
          system: context.system,
          connection: context.connection,
          operation: request.operation?.name,
          entity: request.operation?.entity,
          method: request.method,
          path,
        })
      }
      const tally: RetryTally = { retries: 0 }
      const started = performance.now()
      try {
        const response = await withRetryTally(tally, () => next<T>(request))
        finish(request, path, started, tally, { status: response.status })
        return response
      } catch (error) {
        finish(
          request,
          path,
          started,
          tally,
          error instanceof JunctionError
            ? { errorCode: error.code, status: error.status }
            : { errorCode: 'UNEXPECTED', status: undefined },
        )
        throw error
      }
    }
  }
}
