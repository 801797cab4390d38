/**
 * Cache figures for `pnpm bench:data`: hit latency through the `cache` middleware (p50/p99 in µs, the
 * stack resolved per request as a connector does) for the memory and Redis drivers, beside the driver's
 * own `get` and, for Redis, a bare ioredis `GET` of the same bytes (the floor set by the server and the
 * machine's load); and the upstream calls made by 1,000 concurrent identical misses (must be 1).
 * The clients are measured in alternating rounds so that load from other processes falls on all alike.
 * Needs Redis at REDIS_URL (default redis://127.0.0.1:6379); progress goes to stderr.
 */
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import type { CacheStore } from '../../packages/core/src/cache/cache-store.js'
import { memoryCache } from '../../packages/core/src/cache/memory-cache.js'
import { redisCache } from '../../packages/core/src/cache/redis-cache.js'
import {
  accountRead,
  type CountingUpstream,
  cachedClient,
  countingUpstream,
} from '../../packages/core/src/cache/test-support/counting-upstream.js'

/** The few ioredis calls the bare baseline makes. */
interface BareRedis {
  get(key: string): Promise<string | null>
  set(key: string, value: string, mode: 'PX', ttlMs: number): Promise<unknown>
  del(key: string): Promise<number>
  quit(): Promise<unknown>
}

// ioredis is core's dependency, not the workspace root's: load it from core.
const { Redis } = createRequire(new URL('../../packages/core/package.json', import.meta.url))('ioredis') as {
  Redis: new (url: string) => BareRedis
}

const WARMUP_CALLS = 5_000
const ROUNDS = 10
const MEMORY_CALLS_PER_ROUND = 5_000
const REDIS_CALLS_PER_ROUND = 2_000
const CONCURRENT_MISSES = 1_000

type Call = () => Promise<unknown>

const percentile = (sorted: Float64Array, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN

const round = (value: number): number => Math.round(value * 100) / 100

/** Per client, the sorted latencies in µs of `perRound` sequential calls in each of `ROUNDS` rounds. */
async function latencies(
  calls: Record<string, Call>,
  perRound: number,
): Promise<Record<string, Float64Array>> {
  const names = Object.keys(calls)
  const samples = Object.fromEntries(names.map((name) => [name, new Float64Array(perRound * ROUNDS)]))
  for (const name of names) for (let index = 0; index < WARMUP_CALLS; index++) await calls[name]?.()
  for (let roundIndex = 0; roundIndex < ROUNDS; roundIndex++) {
    for (const name of roundIndex % 2 === 0 ? names : [...names].reverse()) {
      const call = calls[name] as Call
      const into = samples[name] as Float64Array
      for (let index = 0; index < perRound; index++) {
        const started = process.hrtime.bigint()
        await call()
        into[roundIndex * perRound + index] = Number(process.hrtime.bigint() - started) / 1_000
      }
    }
  }
  for (const name of names) samples[name]?.sort()
  return samples
}

const figures = (samples: Record<string, Float64Array>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(samples).flatMap(([name, sorted]) => [
      [`${name}P50Us`, round(percentile(sorted, 50))],
      [`${name}P99Us`, round(percentile(sorted, 99))],
    ]),
  )

/** A hit through the middleware, and the driver's `get` of the same entry. */
async function hitCalls(name: string, store: CacheStore, upstream: CountingUpstream) {
  const { send, transport } = cachedClient({ store })
  const read = accountRead(upstream, `${name}-hit`)
  const body = (await send(read)).body
  const until = Date.now() + 120_000
  await store.set('bench-raw', { value: body, storedAt: Date.now(), freshUntil: until, staleUntil: until })
  const calls: Record<string, Call> = {
    [`${name}Hit`]: () => send(read),
    [`${name}StoreGet`]: () => store.get('bench-raw'),
  }
  return { calls, close: () => Promise.all([transport.close(), store.delete('bench-raw')]) }
}

async function concurrentMisses(
  name: string,
  store: CacheStore,
  upstream: CountingUpstream,
): Promise<number> {
  const { send, transport } = cachedClient({ store })
  const before = upstream.calls()
  await Promise.all(
    Array.from({ length: CONCURRENT_MISSES }, () => send(accountRead(upstream, `${name}-miss`))),
  )
  await transport.close()
  return upstream.calls() - before
}

/** Runs the cache benchmarks and returns their figures. */
export async function measureCache(): Promise<Record<string, number>> {
  const upstream = await countingUpstream()
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  // A fresh prefix per run; what a run leaves behind expires on its own within two minutes.
  const keyPrefix = `junction-bench:cache:${randomUUID()}:`
  const memory = memoryCache()
  const redis = redisCache({ url: redisUrl, keyPrefix })
  const bare = new Redis(redisUrl)
  try {
    const before = upstream.calls()
    const memoryHits = await hitCalls('memory', memory, upstream)
    const memoryFigures = figures(await latencies(memoryHits.calls, MEMORY_CALLS_PER_ROUND))
    await memoryHits.close()
    process.stderr.write('memory hits measured\n')

    const redisHits = await hitCalls('redis', redis, upstream)
    const bareKey = `${keyPrefix}bare`
    await bare.set(bareKey, JSON.stringify(await redis.get('bench-raw')), 'PX', 120_000)
    const redisFigures = figures(
      await latencies({ ...redisHits.calls, redisBareGet: () => bare.get(bareKey) }, REDIS_CALLS_PER_ROUND),
    )
    await Promise.all([redisHits.close(), bare.del(bareKey)])
    process.stderr.write('redis hits measured\n')
    if (upstream.calls() - before !== 2) throw new Error('a measured hit went upstream')

    return {
      ...memoryFigures,
      ...redisFigures,
      memoryConcurrentMissUpstreamCalls: await concurrentMisses('memory', memoryCache(), upstream),
      redisConcurrentMissUpstreamCalls: await concurrentMisses('redis', redis, upstream),
    }
  } finally {
    await Promise.all([memory.close(), redis.close(), upstream.close(), bare.quit()])
  }
}
