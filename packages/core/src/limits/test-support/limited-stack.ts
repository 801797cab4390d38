import type { RequestHandler } from 'msw'
import { httpErrors } from '../../pipeline/http-errors.js'
import { MiddlewareStack, type PipelineContext } from '../../pipeline/middleware-stack.js'
import type { JunctionRequest, JunctionResponse } from '../../pipeline/request.js'
import { createSimulator, type Simulator } from '../../testing/simulator.js'
import { createTransport } from '../../transport/transport.js'
import type { Limiter } from '../limiter.js'
import { quotaMiddleware } from '../quota-middleware.js'
import type { QuotaReader } from '../quota-reader.js'
import { rateLimitMiddleware } from '../rate-limit-middleware.js'

/** A pipeline `rate-limit → errors → quota → transport` over a simulator, as a connector assembles it. */
export interface LimitedStack {
  send(path: string, extra?: Partial<JunctionRequest>): Promise<JunctionResponse>
  readonly simulator: Simulator
  close(): Promise<void>
}

/** Builds a {@link LimitedStack} on `handlers` (paths start with `*`), served in-process. */
export function limitedStack(options: {
  handlers: readonly RequestHandler[]
  limiter: Limiter
  context: PipelineContext
  quota?: QuotaReader
}): LimitedStack {
  const simulator = createSimulator({ handlers: options.handlers })
  const transport = createTransport({ dispatcher: simulator.dispatcher })
  const stack = new MiddlewareStack()
    .add('rate-limit', rateLimitMiddleware(options.limiter))
    .add('errors', httpErrors())
  if (options.quota !== undefined) stack.add('quota', quotaMiddleware(options.quota, options.limiter))
  const handler = stack.resolve(transport.send, options.context)
  return {
    simulator,
    send: (path, extra = {}) =>
      handler({
        method: 'GET',
        url: `http://limits.test${path}`,
        headers: {},
        responseType: 'json',
        ...extra,
      }),
    async close() {
      await options.limiter.close()
      await transport.close()
      await simulator.close()
    },
  }
}
