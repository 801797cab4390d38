import { type AddressInfo, createServer } from 'node:net'
import { performance } from 'node:perf_hooks'
import { HttpResponse, http } from 'msw'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ConfigError, RateLimitError, TimeoutError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import { type JunctionEventMap, JunctionEvents } from '../observability/junction-events.js'
import { httpErrors } from '../pipeline/http-errors.js'
import { MiddlewareStack } from '../pipeline/middleware-stack.js'
import type { Handler, JunctionRequest } from '../pipeline/request.js'
import type { LoopbackServer } from '../testing/loopback-server.js'
import { pipelineContext } from '../testing/pipeline-context.js'
import { createSimulator } from '../testing/simulator.js'
import { createTransport } from '../transport/transport.js'
import { RetryBudget } from './retry-budget.js'
import { retryMiddleware } from './retry-middleware.js'
import type { RetryOptions } from './retry-options.js'

// Small bases keep the backoff of these tests in milliseconds; waits the server asks for stay ≤ ~1 s.
const FAST: RetryOptions = { baseMs: 1, throttleBaseMs: 1 }
// Far longer than any test may take: a sleep of this length that is not cut short fails the test.
const LONG_WAIT_SECONDS = 60
const PATIENT: RetryOptions = { ...FAST, maxWaitMs: 120_000 }

let answered = 0
const sim = createSimulator({
  handlers: [
    http.get('*/items', () => {
      answered++
      return HttpResponse.json({ items: [1, 2] })
    }),
    http.post('*/items', () => {
      answered++
      return HttpResponse.json({ id: 7 }, { status: 201 })
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
  answered = 0
})
afterAll(async () => {
  await transport.close()
  await sim.close()
})

/** How many requests reached the server: the ones a fault answered and the ones the handlers did. */
const served = (): number => sim.faults.count + answered

function pipeline(options: RetryOptions = FAST, budget?: RetryBudget) {
  const events = new JunctionEvents()
  const retries: Array<JunctionEventMap['retry']> = []
  events.on('retry', (event) => retries.push(event))
  const stack = new MiddlewareStack()
    .add('retry', retryMiddleware(options, budget))
    .add('errors', httpErrors())
  const send: Handler = stack.resolve(
    transport.send,
    pipelineContext({ system: 'erp', connection: 'erp-eu', events }),
  )
  return { send, retries }
}

const get = (fields: Partial<JunctionRequest> = {}): JunctionRequest => ({
  method: 'GET',
  url: `${server.url}/items`,
  headers: {},
  operation: { name: 'query', entity: 'Item' },
  ...fields,
})
const post = (fields: Partial<JunctionRequest> = {}): JunctionRequest =>
  get({
    method: 'POST',
    body: { type: 'json', value: { name: 'x' } },
    operation: { name: 'create' },
    ...fields,
  })

/** A loopback port nothing listens on: bound by the system, then released. */
async function unusedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

async function failure(promise: Promise<unknown>): Promise<JunctionError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  if (outcome instanceof JunctionError) return outcome
  throw new Error(`expected a JunctionError, got ${String(outcome)}`)
}

describe('retryMiddleware', () => {
  it('retries a 503 and returns the response that follows', async () => {
    const { send } = pipeline()
    sim.faults.next({ kind: 'http-503', times: 2 })
    const response = await send(get())
    expect(response).toMatchObject({ status: 200, body: { items: [1, 2] } })
    expect(served()).toBe(3)
  })

  it('honours a Retry-After in seconds', async () => {
    const { send, retries } = pipeline()
    sim.faults.next({ kind: 'rate-limit', retryAfter: 1 })
    const started = performance.now()
    await expect(send(get())).resolves.toMatchObject({ status: 200 })
    expect(retries.map((event) => event.delayMs)).toEqual([1000])
    expect(performance.now() - started).toBeGreaterThanOrEqual(950)
  })

  it('honours a Retry-After given as an HTTP-date', async () => {
    const { send, retries } = pipeline()
    const retryAfter = new Date(Date.now() + 1500).toUTCString()
    sim.faults.next({ status: 429, retryAfter })
    const started = performance.now()
    await expect(send(get())).resolves.toMatchObject({ status: 200 })
    const delayMs = retries[0]?.delayMs ?? 0
    expect(delayMs).toBeGreaterThan(0)
    expect(delayMs).toBeLessThanOrEqual(1500)
    expect(performance.now() - started).toBeGreaterThanOrEqual(delayMs - 50)
  })

  it('does not retry a POST without an idempotency key', async () => {
    const { send, retries } = pipeline()
    sim.faults.next({ kind: 'http-503' })
    const error = await failure(send(post()))
    expect(error.code).toBe('SERVICE_UNAVAILABLE')
    expect(served()).toBe(1)
    expect(retries).toEqual([])
  })

  it('retries a POST refused with 429, which the system did not act on', async () => {
    const { send } = pipeline()
    sim.faults.next({ status: 429, retryAfter: 0 })
    const response = await send(post())
    expect(response).toMatchObject({ status: 201, retries: 1 })
    expect(served()).toBe(2)
  })

  it('retries a POST whose connection was never made', async () => {
    const { send, retries } = pipeline({ ...FAST, maxRetries: 2 })
    const closedPort = await unusedPort()
    const error = await failure(send(post({ url: `http://127.0.0.1:${closedPort}/items` })))
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', retries: 2 })
    expect(retries).toHaveLength(2)
  })

  it('stops retrying a POST once a failure may have been acted on', async () => {
    const { send } = pipeline()
    sim.faults.next({ status: 429, retryAfter: 0 })
    sim.faults.next({ kind: 'http-503' })
    expect(await failure(send(post()))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retries: 1 })
    expect(served()).toBe(2)
  })

  it('retries a POST that carries an idempotency key', async () => {
    const { send } = pipeline()
    sim.faults.next({ kind: 'http-503' })
    await expect(send(post({ headers: { 'Idempotency-Key': 'order-42' } }))).resolves.toMatchObject({
      status: 201,
    })
    expect(served()).toBe(2)
  })

  it('retries a POST under the idempotency header it is configured with', async () => {
    const { send } = pipeline({ ...FAST, idempotencyHeader: 'X-Request-Id' })
    sim.faults.next({ kind: 'http-503' })
    await expect(send(post({ headers: { 'x-request-id': 'r-1' } }))).resolves.toMatchObject({ status: 201 })
    expect(served()).toBe(2)
  })

  it('retries a POST the adapter declared idempotent, as an upsert by external id is', async () => {
    const { send } = pipeline()
    sim.faults.next({ kind: 'http-503' })
    await expect(send(post({ idempotent: true }))).resolves.toMatchObject({ status: 201 })
    expect(served()).toBe(2)
  })

  it('does not retry a 400 or a 404', async () => {
    const { send, retries } = pipeline()
    sim.faults.next({ status: 400 })
    expect((await failure(send(get()))).code).toBe('BAD_REQUEST')
    sim.faults.next({ status: 404 })
    expect((await failure(send(get()))).code).toBe('NOT_FOUND')
    expect(served()).toBe(2)
    expect(retries).toEqual([])
  })

  it('gives up after maxRetries with the last failure', async () => {
    const { send } = pipeline({ ...FAST, maxRetries: 2 })
    sim.faults.always({ kind: 'http-503' })
    expect((await failure(send(get()))).code).toBe('SERVICE_UNAVAILABLE')
    expect(served()).toBe(3)
  })

  it('tells on the response how many retries came before it', async () => {
    const { send } = pipeline()
    sim.faults.next({ kind: 'http-503', times: 2 })
    expect((await send(get())).retries).toBe(2)
  })

  it('tells on the final error how many retries came before it', async () => {
    const { send } = pipeline({ ...FAST, maxRetries: 2 })
    sim.faults.always({ kind: 'http-503' })
    expect(await failure(send(get()))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retries: 2 })
  })

  it('reports no retries on a response that came at the first attempt', async () => {
    const { send } = pipeline()
    expect((await send(get())).retries).toBeUndefined()
  })

  it('emits a retry event with attempt, delay and reason for every retry', async () => {
    const { send, retries } = pipeline({ ...FAST, maxRetries: 3 })
    sim.faults.next({ kind: 'http-503' })
    sim.faults.next({ status: 429 })
    await send(get())
    expect(retries).toEqual([
      {
        system: 'erp',
        connection: 'erp-eu',
        operation: 'query',
        entity: 'Item',
        attempt: 1,
        delayMs: expect.any(Number),
        reason: 'SERVICE_UNAVAILABLE',
      },
      expect.objectContaining({ attempt: 2, reason: 'RATE_LIMITED' }),
    ])
    for (const event of retries) {
      expect(event.delayMs).toBeGreaterThanOrEqual(0)
      expect(event.delayMs).toBeLessThanOrEqual(2)
    }
  })

  it('stops retrying once the shared budget is spent and throws the original error', async () => {
    const budget = new RetryBudget({ capacity: 10 })
    const { send } = pipeline({ ...FAST, maxRetries: 3 }, budget)
    sim.faults.always({ kind: 'http-503' })
    await failure(send(get()))
    expect([served(), budget.available]).toEqual([3, 0])

    sim.faults.clear()
    sim.faults.always({ kind: 'http-503' })
    const error = await failure(send(get()))
    expect(error.code).toBe('SERVICE_UNAVAILABLE')
    expect(error.status).toBe(503)
    expect(served()).toBe(1)
  })

  it('refills the budget as calls succeed', async () => {
    const budget = new RetryBudget({ capacity: 10 })
    const { send } = pipeline(FAST, budget)
    sim.faults.next({ kind: 'http-503' })
    await send(get())
    expect(budget.available).toBe(10)
  })

  it('cancels a sleeping retry at once when the operation deadline passes', async () => {
    const { send, retries } = pipeline(PATIENT)
    sim.faults.next({ kind: 'rate-limit', retryAfter: LONG_WAIT_SECONDS })
    const started = performance.now()
    const error = await failure(send(get({ signal: AbortSignal.timeout(300) })))
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error.code).toBe('DEADLINE_EXCEEDED')
    expect(error.cause).toBeInstanceOf(RateLimitError)
    expect(retries.map((event) => event.delayMs)).toEqual([LONG_WAIT_SECONDS * 1000])
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it('does not start a wait that would outlast the request deadline', async () => {
    const { send, retries } = pipeline(PATIENT)
    sim.faults.next({ kind: 'rate-limit', retryAfter: LONG_WAIT_SECONDS })
    const started = performance.now()
    const error = await failure(send(get({ timeoutMs: 2_000 })))
    expect(error.code).toBe('RATE_LIMITED')
    expect([served(), retries.length]).toEqual([1, 0])
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it('keeps to the deadline option across attempts and waits', async () => {
    const { send } = pipeline({ ...PATIENT, deadlineMs: 2_000 })
    sim.faults.next({ kind: 'http-503', retryAfter: LONG_WAIT_SECONDS })
    const started = performance.now()
    expect((await failure(send(get()))).code).toBe('SERVICE_UNAVAILABLE')
    expect(served()).toBe(1)
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it('sends each attempt with what remains of the deadline as its timeout', async () => {
    const { send } = pipeline({ ...FAST, deadlineMs: 500 })
    sim.faults.next({ kind: 'slow-headers', delayMs: LONG_WAIT_SECONDS * 1000 })
    const started = performance.now()
    expect((await failure(send(get()))).code).toBe('DEADLINE_EXCEEDED')
    expect(performance.now() - started).toBeLessThan(10_000)
    // The server notices the client gone and lets the request through to the handler: let it finish
    // before the next test counts.
    await vi.waitFor(() => expect(answered).toBe(1))
  })

  it('cancels a pending sleep at once when the caller aborts', async () => {
    const { send } = pipeline(PATIENT)
    const controller = new AbortController()
    sim.faults.next({ kind: 'rate-limit', retryAfter: LONG_WAIT_SECONDS })
    const started = performance.now()
    const pending = failure(send(get({ signal: controller.signal })))
    setTimeout(() => controller.abort(), 200)
    const error = await pending
    expect(error.code).toBe('ABORTED')
    expect(error.cause).toBeInstanceOf(RateLimitError)
    expect(served()).toBe(1)
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it('fails fast with a RateLimitError carrying the reset time when the server asks too long', async () => {
    const { send, retries } = pipeline({ ...FAST, maxWaitMs: 5_000 })
    sim.faults.next({ kind: 'rate-limit', retryAfter: 120 })
    const before = Date.now()
    const error = await failure(send(get()))
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.retryAfterMs).toBe(120_000)
    expect(error.resetAt?.getTime()).toBeGreaterThanOrEqual(before + 119_000)
    expect([served(), retries.length]).toEqual([1, 0])
  })

  it('reads a reset header as when the window frees', async () => {
    const { send } = pipeline({ ...FAST, maxWaitMs: 5_000 })
    const resetSeconds = Math.floor(Date.now() / 1000) + 600
    sim.faults.next({ status: 429, headers: { 'x-ratelimit-reset': String(resetSeconds) } })
    const error = await failure(send(get()))
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.resetAt).toEqual(new Date(resetSeconds * 1000))
    expect(served()).toBe(1)
  })

  it('rejects invalid options with a ConfigError naming the option', () => {
    expect(() => retryMiddleware({ maxRetries: -1 })).toThrow(ConfigError)
    expect(() => retryMiddleware({ maxRetries: -1 })).toThrow(/maxRetries/)
  })
})
