import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Logger } from '../logging/logger.js'
import { httpErrors } from '../pipeline/http-errors.js'
import { MiddlewareStack } from '../pipeline/middleware-stack.js'
import { retryMiddleware } from '../retry/retry-middleware.js'
import type { LoopbackServer } from '../testing/loopback-server.js'
import { pipelineContext } from '../testing/pipeline-context.js'
import { createTransport } from '../transport/transport.js'
import type { JunctionEventMap } from './junction-events.js'
import { observeMiddleware } from './observe-middleware.js'
import { get, itemsSimulator, observedPipeline } from './test-support/observed-pipeline.js'

const sim = itemsSimulator()
let server: LoopbackServer

beforeAll(async () => {
  server = await sim.listen()
})
afterAll(async () => {
  await sim.close()
})

function observed(logger?: Logger) {
  const context = pipelineContext({ system: 'demo', connection: 'crm', ...(logger ? { logger } : {}) })
  const starts: JunctionEventMap['request:start'][] = []
  const ends: JunctionEventMap['request:end'][] = []
  context.events.on('request:start', (event) => starts.push(event))
  context.events.on('request:end', (event) => ends.push(event))
  return { ...observedPipeline(context), starts, ends }
}

describe('observeMiddleware', () => {
  it('emits request:start and request:end with the status and the duration', async () => {
    const { handler, close, starts, ends } = observed()
    await handler(get(`${server.url}/items`))
    await close()
    const origin = { system: 'demo', connection: 'crm', operation: 'query', entity: 'Item' }
    expect(starts).toEqual([{ ...origin, method: 'GET', path: '/items' }])
    expect(ends).toMatchObject([{ ...origin, method: 'GET', path: '/items', status: 200, retries: 0 }])
    expect(ends[0]?.durationMs).toBeGreaterThan(0)
    expect(ends[0]?.errorCode).toBeUndefined()
  })

  it('reports the error code and status of a failed request', async () => {
    sim.faults.next({ status: 404 })
    const { handler, close, ends } = observed()
    await expect(handler(get(`${server.url}/items`))).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await close()
    expect(ends).toMatchObject([{ errorCode: 'NOT_FOUND', status: 404, retries: 0 }])
  })

  it('observes a retried request once and counts its retries', async () => {
    sim.faults.next({ kind: 'http-503', times: 2 })
    const { handler, close, starts, ends } = observed()
    await handler(get(`${server.url}/items`))
    await close()
    expect(starts).toHaveLength(1)
    expect(ends).toMatchObject([{ status: 200, retries: 2 }])
  })

  it('counts the retries of a request that fails in the end', async () => {
    sim.faults.always({ kind: 'http-503' })
    const { handler, close, ends } = observed()
    await expect(handler(get(`${server.url}/items`))).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' })
    sim.faults.clear()
    await close()
    expect(ends).toMatchObject([{ errorCode: 'SERVICE_UNAVAILABLE', retries: 2 }])
  })

  it('gives each of concurrent requests its own retries', async () => {
    // The other requests are slow, so they are in flight while the flaky one is retried.
    sim.faults.next({ delayMs: 150, times: 5, match: { path: '/items' } })
    sim.faults.next({ kind: 'http-503', times: 2, delayMs: 20, match: { path: '/flaky' } })
    const { handler, close, ends } = observed()
    await Promise.all([
      handler(get(`${server.url}/flaky`)),
      ...Array.from({ length: 5 }, () => handler(get(`${server.url}/items`))),
    ])
    await close()
    expect(ends.filter((event) => event.path === '/flaky').map((event) => event.retries)).toEqual([2])
    expect(ends.filter((event) => event.path === '/items').map((event) => event.retries)).toEqual([
      0, 0, 0, 0, 0,
    ])
  })

  it('counts the retries of the real retry middleware beneath it', async () => {
    const context = pipelineContext({ system: 'demo', connection: 'crm' })
    const ends: JunctionEventMap['request:end'][] = []
    context.events.on('request:end', (event) => ends.push(event))
    const transport = createTransport({ proxy: false })
    const handler = new MiddlewareStack()
      .add('observe', observeMiddleware())
      .add('retry', retryMiddleware({ baseMs: 1, capMs: 5 }))
      .add('errors', httpErrors())
      .resolve(transport.send, context)
    sim.faults.next({ kind: 'http-503', times: 2 })
    await handler(get(`${server.url}/items`))
    await transport.close()
    expect(ends).toMatchObject([{ status: 200, retries: 2 }])
  })

  it('logs the end of each request at debug level to an injected logger', async () => {
    const lines: Array<{ level: string; object: Record<string, unknown>; message?: string | undefined }> = []
    const collect =
      (level: string) =>
      (object: Record<string, unknown>, message?: string): void => {
        lines.push({ level, object, message })
      }
    const logger: Logger = {
      debug: collect('debug'),
      info: collect('info'),
      warn: collect('warn'),
      error: collect('error'),
    }
    const { handler, close } = observed(logger)
    await handler(get(`${server.url}/items`))
    await close()
    expect(lines).toMatchObject([
      { level: 'debug', message: 'request end', object: { connection: 'crm', path: '/items', status: 200 } },
    ])
  })
})
