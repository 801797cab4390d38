/**
 * Pipeline overhead benchmark: raw undici `request()` against the whole Junction pipeline
 * (observe + metrics → retry → circuit breaker → rate limit → bearer auth → errors → quota →
 * transport) on the same keep-alive loopback server, reading and JSON-parsing a ~1 KB body.
 * The limiter has no limit set, so bottleneck's queue is skipped; the latency of a limiter whose
 * bottleneck queue is on the path (a cap it never reaches) is reported apart, as
 * `bottleneck_limiter_p50_us` (rate-limit middleware alone over the transport, one call at a time).
 * The stack is resolved once, as a connector would for all of its calls.
 *
 * Throughput: alternating rounds at a fixed concurrency (as in bench/transport.bench.ts).
 * Added latency: alternating calls one at a time, p50/p99 of each client.
 * The server runs in a worker thread so that it does not share the clients' event loop.
 * Progress goes to stderr; the last stdout line is one JSON result.
 */
import { Agent, request } from 'undici'
import { createAuthProvider } from '../packages/core/src/auth/auth-config.js'
import { authMiddleware } from '../packages/core/src/auth/auth-middleware.js'
import { circuitBreakerMiddleware } from '../packages/core/src/breaker/circuit-breaker-middleware.js'
import { createLimiter } from '../packages/core/src/limits/limiter.js'
import { quotaMiddleware } from '../packages/core/src/limits/quota-middleware.js'
import { rateLimitHeadersQuota } from '../packages/core/src/limits/quota-reader.js'
import { rateLimitMiddleware } from '../packages/core/src/limits/rate-limit-middleware.js'
import { silentLogger } from '../packages/core/src/logging/logger.js'
import { JunctionEvents } from '../packages/core/src/observability/junction-events.js'
import { createMetrics } from '../packages/core/src/observability/metrics-recorder.js'
import { observeMiddleware } from '../packages/core/src/observability/observe-middleware.js'
import { httpErrors } from '../packages/core/src/pipeline/http-errors.js'
import { MiddlewareStack } from '../packages/core/src/pipeline/middleware-stack.js'
import type { JunctionRequest } from '../packages/core/src/pipeline/request.js'
import { Redactor } from '../packages/core/src/redaction/redactor.js'
import { retryMiddleware } from '../packages/core/src/retry/retry-middleware.js'
import { createTransport } from '../packages/core/src/transport/transport.js'
import { alternatingRounds, runConcurrently, startJsonServer } from './support/loopback-bench.js'

const CONCURRENCY = 32
// Many short rounds, alternating which client goes first, so that load from other processes
// falls on both clients alike.
const ROUNDS = 20
const REQUESTS_PER_ROUND = 4_000
const WARMUP_REQUESTS = 10_000
const LATENCY_PAIRS = 4_000
const QUEUED_CALLS = 300
const BUDGET_MS = 60_000
const TOKEN = 'bench-token-0123456789'

type Client = () => Promise<unknown>

function run(client: Client, requests: number): Promise<number> {
  return runConcurrently(client, requests, CONCURRENCY)
}

/** The value at `percentile` (0–100) of ascending `sorted`. */
function percentileOf(sorted: readonly number[], percentile: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((percentile / 100) * sorted.length))] ?? 0
}

async function main(): Promise<void> {
  const server = await startJsonServer()
  const { url, bytes } = server
  process.stderr.write(`server on ${url}, body ${bytes} bytes, concurrency ${CONCURRENCY}\n`)

  const agent = new Agent()
  // Direct like the raw Agent, even where the environment names a proxy.
  const transport = createTransport({ proxy: false })
  const events = new JunctionEvents()
  const context = {
    system: 'bench',
    connection: 'bench',
    logger: silentLogger,
    redactor: new Redactor(() => [TOKEN]),
    events,
  }
  const metrics = createMetrics()
  metrics.observe(events)
  // No limit set: the limiter's quota gate is on the path, bottleneck's queue is not (it is created
  // only for a local limit). A never-reached `maxConcurrent` is measured apart below.
  const limiter = createLimiter({}, context)
  const queuedLimiter = createLimiter({ maxConcurrent: 1_024 }, context)
  const handler = new MiddlewareStack()
    .add('observe', observeMiddleware())
    .add('retry', retryMiddleware())
    .add('circuit-breaker', circuitBreakerMiddleware())
    .add('rate-limit', rateLimitMiddleware(limiter))
    .add('auth', authMiddleware(createAuthProvider({ type: 'bearer', token: TOKEN })))
    .add('errors', httpErrors())
    .add('quota', quotaMiddleware(rateLimitHeadersQuota, limiter))
    .resolve(transport.send, context)

  // The same request on the wire from both: the transport's default headers and the bearer token.
  const headers = {
    'user-agent': 'junction',
    'accept-encoding': 'gzip, deflate, br',
    accept: 'application/json',
    authorization: `Bearer ${TOKEN}`,
  }
  const raw: Client = async () => {
    const response = await request(url, { dispatcher: agent, headers })
    return response.body.json()
  }
  const operation = { name: 'query', entity: 'Account' }
  const ours: Client = () => {
    const call: JunctionRequest = {
      method: 'GET',
      url,
      headers: { accept: 'application/json' },
      responseType: 'json',
      operation,
    }
    return handler(call)
  }

  await run(raw, WARMUP_REQUESTS)
  await run(ours, WARMUP_REQUESTS)

  const { elapsed, requests, ratios } = await alternatingRounds(
    { raw, ours },
    { rounds: ROUNDS, perRound: REQUESTS_PER_ROUND, budgetMs: BUDGET_MS, concurrency: CONCURRENCY },
  )

  // One call at a time, alternating clients, so that the difference is what the pipeline adds.
  const latencyNs: Record<'raw' | 'ours', number[]> = { raw: [], ours: [] }
  for (let pair = 0; pair < LATENCY_PAIRS; pair++) {
    const order: Array<keyof typeof latencyNs> = pair % 2 === 0 ? ['raw', 'ours'] : ['ours', 'raw']
    for (const name of order) {
      const started = process.hrtime.bigint()
      await (name === 'raw' ? raw() : ours())
      latencyNs[name].push(Number(process.hrtime.bigint() - started))
    }
  }

  // The same pipeline with bottleneck's queue in the limiter (a cap it never reaches), one at a time.
  const queued = new MiddlewareStack()
    .add('rate-limit', rateLimitMiddleware(queuedLimiter))
    .resolve(transport.send, context)
  const queuedNs: number[] = []
  for (let call = 0; call < QUEUED_CALLS; call++) {
    const started = process.hrtime.bigint()
    await queued({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}` }, responseType: 'json' })
    queuedNs.push(Number(process.hrtime.bigint() - started))
  }
  queuedNs.sort((a, b) => a - b)

  const snapshot = metrics.snapshot()
  await queuedLimiter.close()
  await limiter.close()
  await transport.close()
  await agent.close()
  server.stop()

  const us = (ns: number) => Math.round(ns / 100) / 10
  latencyNs.raw.sort((a, b) => a - b)
  latencyNs.ours.sort((a, b) => a - b)
  const p = (name: keyof typeof latencyNs, percentile: number) => percentileOf(latencyNs[name], percentile)
  process.stderr.write(
    `median round ratio ${ratios[Math.floor(ratios.length / 2)]?.toFixed(3)}; ` +
      `one at a time p50 raw ${us(p('raw', 50))} us, ours ${us(p('ours', 50))} us; ` +
      `metrics saw ${snapshot.series[0]?.count} requests, ${snapshot.series[0]?.errors} errors\n`,
  )
  const rawRps = (requests.raw / elapsed.raw) * 1000
  const oursRps = (requests.ours / elapsed.ours) * 1000
  process.stdout.write(
    `${JSON.stringify({
      bench: 'pipeline',
      ratio: Math.round((oursRps / rawRps) * 100) / 100,
      raw_rps: Math.round(rawRps),
      ours_rps: Math.round(oursRps),
      p50_added_us: us(p('ours', 50) - p('raw', 50)),
      p99_added_us: us(p('ours', 99) - p('raw', 99)),
      p50_raw_us: us(p('raw', 50)),
      bottleneck_limiter_p50_us: us(percentileOf(queuedNs, 50)),
      requests: requests.raw + requests.ours + 2 * LATENCY_PAIRS,
      concurrency: CONCURRENCY,
      stack: ['observe', 'retry', 'circuit-breaker', 'rate-limit', 'auth', 'errors', 'quota'],
      node: process.version,
    })}\n`,
  )
}

await main()
