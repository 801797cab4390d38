import { HttpResponse, http } from 'msw'
import { httpErrors } from '../../pipeline/http-errors.js'
import { MiddlewareStack, type PipelineContext } from '../../pipeline/middleware-stack.js'
import type { Handler, JunctionRequest, OperationInfo } from '../../pipeline/request.js'
import { retryMiddleware } from '../../retry/retry-middleware.js'
import { createSimulator } from '../../testing/simulator.js'
import { createTransport } from '../../transport/transport.js'
import { observeMiddleware } from '../observe-middleware.js'

/** A loopback system answering `GET /items` and `GET /flaky` (on any origin) with JSON, with faults. */
export function itemsSimulator() {
  return createSimulator({
    handlers: [
      http.get('*/items', () => HttpResponse.json({ items: [] })),
      http.get('*/flaky', () => HttpResponse.json({ ok: true })),
    ],
  })
}

/** observe → retry (three attempts, 1 ms waits) → errors → the real transport, resolved for `context`. */
export function observedPipeline(
  context: PipelineContext,
  transport = createTransport({ proxy: false }),
): {
  handler: Handler
  close: () => Promise<void>
} {
  const handler = new MiddlewareStack()
    .add('observe', observeMiddleware())
    .add('retry', retryMiddleware({ maxRetries: 2, baseMs: 1, capMs: 1 }))
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
