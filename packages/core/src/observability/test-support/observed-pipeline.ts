import { HttpResponse, http } from 'msw'
import { isJunctionError } from '../../errors/junction-error.js'
import { httpErrors } from '../../pipeline/http-errors.js'
import { type Middleware, MiddlewareStack, type PipelineContext } from '../../pipeline/middleware-stack.js'
import type { Handler, JunctionRequest, OperationInfo } from '../../pipeline/request.js'
import { createSimulator } from '../../testing/simulator.js'
import { createTransport } from '../../transport/transport.js'
import { observeMiddleware } from '../observe-middleware.js'

/**
 * A stand-in for the retry middleware (which lives in retry/): retries retryable errors at once,
 * up to `attempts` in all, and emits a `retry` event before each retry as the real one does.
 */
export function retryAtOnce(attempts: number): Middleware {
  return (next, context) =>
    async <T>(request: JunctionRequest) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await next<T>(request)
        } catch (error) {
          if (attempt >= attempts || !isJunctionError(error) || !error.retryable) throw error
          context.events.emit('retry', {
            system: context.system,
            connection: context.connection,
            operation: request.operation?.name,
            entity: request.operation?.entity,
            attempt,
            delayMs: 0,
            reason: error.code,
          })
        }
      }
    }
}

/** A loopback system answering `GET /items` and `GET /flaky` (on any origin) with JSON, with faults. */
export function itemsSimulator() {
  return createSimulator({
    handlers: [
      http.get('*/items', () => HttpResponse.json({ items: [] })),
      http.get('*/flaky', () => HttpResponse.json({ ok: true })),
    ],
  })
}

/** observe → retry stand-in → errors → the real transport, resolved for `context`. */
export function observedPipeline(
  context: PipelineContext,
  transport = createTransport({ proxy: false }),
): {
  handler: Handler
  close: () => Promise<void>
} {
  const handler = new MiddlewareStack()
    .add('observe', observeMiddleware())
    .add('retry', retryAtOnce(3))
    .add('errors', httpErrors())
    .resolve(transport.send, context)
  return { handler, close: () => transport.close() }
}

/** A GET request to `url` belonging to `operation`. */
export function get(
  url: string,
  operation: OperationInfo = { name: 'query', entity: 'Item' },
): JunctionRequest {
  return { method: 'GET', url, headers: {}, operation }
}
