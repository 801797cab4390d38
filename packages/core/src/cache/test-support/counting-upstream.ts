import { HttpResponse, http } from 'msw'
import { httpErrors } from '../../pipeline/http-errors.js'
import { type Middleware, MiddlewareStack, type PipelineContext } from '../../pipeline/middleware-stack.js'
import type { Handler, JunctionRequest } from '../../pipeline/request.js'
import { pipelineContext } from '../../testing/pipeline-context.js'
import { createSimulator, type Simulator } from '../../testing/simulator.js'
import { createTransport, type Transport } from '../../transport/transport.js'
import { type CacheOptions, cacheMiddleware } from '../cache-middleware.js'

/** A loopback system that counts the requests it serves; `/accounts/:id` answers with the current version. */
export interface CountingUpstream {
  readonly sim: Simulator
  readonly url: string
  /** Requests the server has answered so far. */
  calls(): number
  /** Changes what the next answers say. */
  setVersion(version: number): void
  close(): Promise<void>
}

/** Starts the counting system on a real loopback port. */
export async function countingUpstream(): Promise<CountingUpstream> {
  let calls = 0
  let version = 1
  const sim = createSimulator({
    handlers: [
      http.get('*/accounts/:id', ({ params }) => {
        calls++
        return HttpResponse.json({ id: params.id, version, at: '2026-11-24T10:00:00.000Z' })
      }),
    ],
  })
  const server = await sim.listen()
  return {
    sim,
    url: server.url,
    calls: () => calls,
    setVersion: (next) => {
      version = next
    },
    close: () => sim.close(),
  }
}

/**
 * A stack `cache → ...extra → errors` over a real transport, resolved for every request as
 * `defineConnector` does, so the cache's state must live in the middleware, not in one resolution.
 */
export function cachedClient(
  options: CacheOptions,
  context: Partial<PipelineContext> = {},
  extra: Record<string, Middleware> = {},
): { send: Handler; context: PipelineContext; transport: Transport } {
  const stack = new MiddlewareStack().add('cache', cacheMiddleware(options))
  for (const [name, middleware] of Object.entries(extra)) stack.add(name, middleware)
  stack.add('errors', httpErrors())
  const transport = createTransport({ proxy: false })
  const resolved = pipelineContext(context)
  const send: Handler = (request) => stack.resolve(transport.send, resolved)(request)
  return { send, context: resolved, transport }
}

/** A GET of one account carrying a cache directive. */
export function accountRead(
  upstream: CountingUpstream,
  id: string,
  cache: JunctionRequest['cache'] = {},
): JunctionRequest {
  return {
    method: 'GET',
    url: `${upstream.url}/accounts/${id}`,
    headers: { accept: 'application/json' },
    operation: { name: 'get', entity: 'Account' },
    cache,
  }
}
