import { HttpResponse, http } from 'msw'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import type { JunctionEventMap } from '../observability/junction-events.js'
import { httpErrors } from '../pipeline/http-errors.js'
import { MiddlewareStack } from '../pipeline/middleware-stack.js'
import type { JunctionRequest } from '../pipeline/request.js'
import type { LoopbackServer } from '../testing/loopback-server.js'
import { pipelineContext } from '../testing/pipeline-context.js'
import { createSimulator } from '../testing/simulator.js'
import { createTransport } from '../transport/transport.js'
import type { BreakerOptions } from './breaker-options.js'
import { circuitBreakerMiddleware } from './circuit-breaker-middleware.js'
import { CircuitOpenError } from './circuit-open-error.js'
import { endpointKey } from './endpoint-key.js'

let served = 0
const sim = createSimulator({
  handlers: [
    http.get('*/a/*', () => {
      served++
      return HttpResponse.json({ endpoint: 'a' })
    }),
    http.get('*/b/*', () => {
      served++
      return HttpResponse.json({ endpoint: 'b' })
    }),
  ],
})
const transport = createTransport({ proxy: false })
let server: LoopbackServer

beforeAll(async () => {
  server = await sim.listen()
})
afterEach(() => {
  sim.faults.clear()
  served = 0
})
afterAll(async () => {
  await transport.close()
  await sim.close()
})

/** Requests that reached the server: answered by a fault or by the real handler. */
const reachedServer = (): number => sim.faults.count + served

type BreakerEvent = JunctionEventMap['breaker']

/** The breaker over `errors` over the real transport, and every `breaker` event it emits. */
function pipeline(options: BreakerOptions) {
  const context = pipelineContext({ system: 'demo', connection: 'crm' })
  const events: BreakerEvent[] = []
  // How long each opening waits before a probe, read as the event is emitted.
  const waits: number[] = []
  context.events.on('breaker', (event) => {
    events.push(event)
    if (event.halfOpenAt !== undefined) waits.push(event.halfOpenAt.getTime() - Date.now())
  })
  const handler = new MiddlewareStack()
    .add('circuit-breaker', circuitBreakerMiddleware(options))
    .add('errors', httpErrors())
    .resolve(transport.send, context)
  const call = (request: string | JunctionRequest = '/a/items') =>
    handler(typeof request === 'string' ? pipelineRequest(request) : request)
  return { call, events, waits, states: () => events.map((event) => event.state) }
}

function pipelineRequest(path: string, signal?: AbortSignal): JunctionRequest {
  return {
    method: 'GET',
    url: `${server.url}${path}`,
    headers: {},
    operation: { name: 'query', entity: 'Item' },
    signal,
  }
}

async function rejection(promise: Promise<unknown>): Promise<JunctionError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  if (!(error instanceof JunctionError)) throw new Error(`expected a JunctionError, got ${String(error)}`)
  return error
}

/** Waits until a probe is allowed: the breaker's own `halfOpenAt`, plus a margin. */
async function untilHalfOpen(event: BreakerEvent | undefined): Promise<void> {
  const at = event?.halfOpenAt?.getTime() ?? Date.now()
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now()) + 20))
}

const quick = { halfOpenAfter: { initialDelayMs: 60, maxDelayMs: 1_000 } }

describe('circuitBreakerMiddleware, consecutive mode', () => {
  it('opens after the threshold of consecutive 503s', async () => {
    const { call, states } = pipeline({ threshold: 3, ...quick })
    sim.faults.next({ kind: 'http-503', times: 3 })
    for (let i = 0; i < 3; i++) expect((await rejection(call())).code).toBe('SERVICE_UNAVAILABLE')
    expect(states()).toEqual(['open'])
    expect((await rejection(call())).code).toBe('CIRCUIT_OPEN')
  })

  it('hands each of concurrent failures to the caller as itself, the circuit opening once', async () => {
    const { call, states } = pipeline({ threshold: 2, halfOpenAfter: { initialDelayMs: 60_000 } })
    sim.faults.next({ kind: 'http-503', times: 4, delayMs: 20 })
    const errors = await Promise.all(Array.from({ length: 4 }, () => rejection(call())))
    // All four were sent while the circuit was closed: each caller sees its own 503, none CIRCUIT_OPEN.
    expect(errors.map((error) => error.code)).toEqual(Array(4).fill('SERVICE_UNAVAILABLE'))
    expect(states()).toEqual(['open'])
    expect((await rejection(call())).code).toBe('CIRCUIT_OPEN')
  })

  it('fails fast while open without sending anything to the system', async () => {
    const { call } = pipeline({ threshold: 2, halfOpenAfter: { initialDelayMs: 60_000 } })
    sim.faults.next({ kind: 'http-503', times: 2 })
    await rejection(call())
    await rejection(call())
    const before = reachedServer()
    const refusals = await Promise.all(Array.from({ length: 5 }, () => rejection(call())))
    expect(reachedServer()).toBe(before)
    for (const error of refusals) {
      expect(error).toBeInstanceOf(CircuitOpenError)
      expect(error).toMatchObject({ code: 'CIRCUIT_OPEN', retryable: false, key: 'crm', system: 'demo' })
      expect((error as CircuitOpenError).halfOpenAt?.getTime()).toBeGreaterThan(Date.now())
    }
  })

  it('half-opens after the wait and closes when the probe succeeds', async () => {
    const { call, events, states } = pipeline({ threshold: 2, ...quick })
    sim.faults.next({ kind: 'http-503', times: 2 })
    await rejection(call())
    await rejection(call())
    await untilHalfOpen(events[0])
    const response = await call()
    expect(response.body).toEqual({ endpoint: 'a' })
    expect(states()).toEqual(['open', 'half-open', 'closed'])
    expect((await call()).status).toBe(200)
  })

  it('re-opens when the probe fails, and waits longer before the next one', async () => {
    const { call, events, states, waits } = pipeline({ threshold: 1, ...quick })
    sim.faults.next({ kind: 'http-503', times: 2 })
    await rejection(call())
    await untilHalfOpen(events[0])
    expect((await rejection(call())).code).toBe('SERVICE_UNAVAILABLE')
    expect(states()).toEqual(['open', 'half-open', 'open'])
    expect((await rejection(call())).code).toBe('CIRCUIT_OPEN')
    const [first = 0, second = 0] = waits
    expect(second).toBeGreaterThanOrEqual(first * 1.5)
  })

  it('re-opens when the probe proves nothing (the caller aborted it)', async () => {
    const { call, events, states } = pipeline({ threshold: 1, ...quick })
    sim.faults.next({ kind: 'http-503' })
    await rejection(call())
    await untilHalfOpen(events[0])
    const aborted = pipelineRequest('/a/items', AbortSignal.abort())
    expect((await rejection(call(aborted))).code).toBe('ABORTED')
    expect(states()).toEqual(['open', 'half-open', 'open'])
  })

  it('does not count 404s: the system answered', async () => {
    const { call, states } = pipeline({ threshold: 2, ...quick })
    sim.faults.next({ status: 404, times: 5 })
    for (let i = 0; i < 5; i++) expect((await rejection(call())).code).toBe('NOT_FOUND')
    expect(states()).toEqual([])
    expect(reachedServer()).toBe(5)
  })

  it('resets the count of consecutive failures when the system answers with an error', async () => {
    const { call, states } = pipeline({ threshold: 2, ...quick })
    sim.faults.next({ kind: 'http-503' })
    sim.faults.next({ status: 422 })
    sim.faults.next({ kind: 'http-503' })
    await rejection(call())
    expect((await rejection(call())).code).toBe('VALIDATION_FAILED')
    await rejection(call())
    expect(states()).toEqual([])
  })

  it('does not count throttling (429) as a failure', async () => {
    const { call, states } = pipeline({ threshold: 2, ...quick })
    sim.faults.next({ kind: 'rate-limit', times: 3 })
    for (let i = 0; i < 3; i++) expect((await rejection(call())).code).toBe('RATE_LIMITED')
    expect(states()).toEqual([])
  })

  it('counts dropped connections as failures', async () => {
    const { call, states } = pipeline({ threshold: 2, ...quick })
    sim.faults.next({ kind: 'reset-mid-body', times: 2 })
    await rejection(call())
    await rejection(call())
    expect(states()).toEqual(['open'])
  })
})

describe('circuitBreakerMiddleware, ratio mode', () => {
  const ratio = { mode: 'ratio', threshold: 0.5, windowMs: 5_000, minimumRequests: 4, ...quick } as const

  it('opens when more than the threshold of calls in the window failed', async () => {
    const { call, states } = pipeline(ratio)
    await call()
    await call()
    sim.faults.next({ kind: 'http-503', times: 3 })
    await rejection(call())
    await rejection(call())
    expect(states()).toEqual([])
    await rejection(call())
    expect(states()).toEqual(['open'])
    expect((await rejection(call())).code).toBe('CIRCUIT_OPEN')
  })

  it('stays closed while failures are a minority', async () => {
    const { call, states } = pipeline(ratio)
    for (let i = 0; i < 4; i++) {
      await call()
      sim.faults.next({ kind: 'http-503' })
      await rejection(call())
    }
    await call()
    expect(states()).toEqual([])
  })

  it('does not open below the minimum number of calls', async () => {
    const { call, states } = pipeline(ratio)
    sim.faults.next({ kind: 'http-503', times: 3 })
    for (let i = 0; i < 3; i++) await rejection(call())
    expect(states()).toEqual([])
  })
})

describe('circuitBreakerMiddleware, per endpoint', () => {
  it('keeps one endpoint working while another one is open', async () => {
    const { call, events } = pipeline({ threshold: 2, key: endpointKey(1), ...quick })
    sim.faults.always({ kind: 'http-503', match: { path: '/a/*' } })
    await rejection(call('/a/items'))
    await rejection(call('/a/items'))
    expect(events).toMatchObject([{ key: 'GET /a', state: 'open', connection: 'crm', system: 'demo' }])
    expect(await rejection(call('/a/other'))).toMatchObject({ code: 'CIRCUIT_OPEN', key: 'GET /a' })
    expect((await call('/b/items')).body).toEqual({ endpoint: 'b' })
  })

  it('keys by method and the first path segments', () => {
    const key = endpointKey(3)
    const request = (method: JunctionRequest['method'], url: string): JunctionRequest => ({
      method,
      url,
      headers: {},
    })
    expect(key(request('GET', 'https://x.example/api/now/table/incident/42'))).toBe('GET /api/now/table')
    expect(key(request('POST', 'https://x.example/api'))).toBe('POST /api')
    expect(key(request('GET', 'https://x.example'))).toBe('GET /')
  })
})

describe('circuitBreakerMiddleware options', () => {
  it('rejects a ratio threshold outside (0, 1), naming the option', () => {
    expect(() => circuitBreakerMiddleware({ mode: 'ratio', threshold: 2 })).toThrow(ConfigError)
    try {
      circuitBreakerMiddleware({ mode: 'ratio', threshold: 2 })
    } catch (error) {
      expect(error).toMatchObject({ option: 'threshold' })
    }
  })

  it('lets the caller decide what counts as a failure', async () => {
    const { call, states } = pipeline({
      threshold: 2,
      isFailure: (error) => error instanceof JunctionError && error.code === 'NOT_FOUND',
      ...quick,
    })
    sim.faults.next({ status: 404, times: 2 })
    await rejection(call())
    await rejection(call())
    expect(states()).toEqual(['open'])
  })
})

describe('CircuitOpenError', () => {
  it('serializes its key and the time of the next probe', () => {
    const error = new CircuitOpenError({ message: 'open', key: 'GET /a', halfOpenAt: new Date(0) })
    expect(error.toJSON()).toMatchObject({
      code: 'CIRCUIT_OPEN',
      retryable: false,
      key: 'GET /a',
      halfOpenAt: '1970-01-01T00:00:00.000Z',
    })
  })
})
