/**
 * Identity figures for `pnpm bench:data`: the p50/p99 latency (µs) of `resolve` with 1M links loaded,
 * in the memory store and in Redis (and of a 1,000-ref `resolveMany` in Redis, one round trip); the
 * time to load 1M links into Redis (change sets of 3,000 links, several in flight); and matching
 * throughput (records of both sides per second) on 100k × 100k generated company records (30% of B
 * are A's entities written another way, 40% of fields missing), with the deterministic rules and
 * with the fuzzy rule added. Needs Redis at REDIS_URL (default redis://127.0.0.1:6379); the Redis keys
 * are deleted afterwards. Progress goes to stderr.
 */
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import type { LinkChange, SystemRef } from '../../packages/core/src/identity/identity-link.js'
import type { IdentityStore } from '../../packages/core/src/identity/identity-store.js'
import { matchRecords } from '../../packages/core/src/identity/match-records.js'
import { defaultMatchRules } from '../../packages/core/src/identity/match-rules.js'
import { memoryIdentityStore } from '../../packages/core/src/identity/memory-identity-store.js'
import { redisIdentityStore } from '../../packages/core/src/identity/redis-identity-store.js'
import { generateParties } from '../../packages/core/src/identity/test-support/generate-parties.js'

/** The few ioredis calls the clean-up makes. */
interface BareRedis {
  scan(
    cursor: string,
    match: 'MATCH',
    pattern: string,
    count: 'COUNT',
    size: number,
  ): Promise<[string, string[]]>
  unlink(...keys: string[]): Promise<number>
  quit(): Promise<unknown>
}

// ioredis is core's dependency, not the workspace root's: load it from core.
const { Redis } = createRequire(new URL('../../packages/core/package.json', import.meta.url))('ioredis') as {
  Redis: new (url: string) => BareRedis
}

const SYSTEMS = ['crm', 'erp', 'itsm'] as const
const ENTITIES = 333_334
const LOAD_BATCH_ENTITIES = 1_000
const LOADS_IN_FLIGHT = 8
const MEMORY_LOOKUPS = 200_000
const REDIS_LOOKUPS = 20_000
const REDIS_BATCHES = 200
const BATCH_SIZE = 1_000
const MATCH_SIZE = 100_000

const percentile = (sorted: Float64Array, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN

const round = (value: number): number => Math.round(value * 100) / 100

const log = (message: string): void => {
  process.stderr.write(`${message}\n`)
}

const refOf = (entity: number, system: number): SystemRef => ({
  system: SYSTEMS[system] ?? 'crm',
  id: `${SYSTEMS[system]}-${entity.toString(36).padStart(6, '0')}`,
})

/** The change sets that link 1M records (3 systems × 333,334 entities), `LOAD_BATCH_ENTITIES` entities each. */
function* loadBatches(): Generator<LinkChange[]> {
  for (let start = 0; start < ENTITIES; start += LOAD_BATCH_ENTITIES) {
    const changes: LinkChange[] = []
    for (let entity = start; entity < Math.min(ENTITIES, start + LOAD_BATCH_ENTITIES); entity++) {
      for (let system = 0; system < SYSTEMS.length; system++) {
        changes.push({ ref: refOf(entity, system), from: undefined, to: `cust-${entity}` })
      }
    }
    yield changes
  }
}

async function load(store: IdentityStore): Promise<number> {
  const started = performance.now()
  const batches = loadBatches()
  await Promise.all(
    Array.from({ length: LOADS_IN_FLIGHT }, async () => {
      for (let next = batches.next(); !next.done; next = batches.next()) {
        const result = await store.apply(next.value)
        if (!result.ok) throw new Error('the bench load met a conflict')
      }
    }),
  )
  return (performance.now() - started) / 1_000
}

// A fixed pseudo-random walk over the loaded refs, the same for every store.
const lookupRef = (index: number): SystemRef =>
  refOf((index * 2_654_435_761) % ENTITIES, index % SYSTEMS.length)

async function lookupLatencies(store: IdentityStore, count: number): Promise<Float64Array> {
  for (let index = 0; index < Math.min(count, 10_000); index++) await store.resolve(lookupRef(index + 7))
  const samples = new Float64Array(count)
  for (let index = 0; index < count; index++) {
    const ref = lookupRef(index)
    const started = process.hrtime.bigint()
    const entity = await store.resolve(ref)
    samples[index] = Number(process.hrtime.bigint() - started) / 1_000
    if (entity === undefined) throw new Error(`bench lookup missed ${ref.system}:${ref.id}`)
  }
  return samples.sort()
}

async function batchLatencies(store: IdentityStore): Promise<Float64Array> {
  const samples = new Float64Array(REDIS_BATCHES)
  for (let batch = 0; batch < REDIS_BATCHES; batch++) {
    const refs = Array.from({ length: BATCH_SIZE }, (_, index) => lookupRef(batch * BATCH_SIZE + index))
    const started = process.hrtime.bigint()
    await store.resolveMany(refs)
    samples[batch] = Number(process.hrtime.bigint() - started) / 1_000
  }
  return samples.sort()
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url)
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5_000)
    cursor = next
    if (keys.length > 0) await client.unlink(...keys)
  } while (cursor !== '0')
  await client.quit()
}

function matchThroughput(fuzzy: boolean, parties: ReturnType<typeof generateParties>) {
  const started = performance.now()
  const outcome = matchRecords(parties.a, parties.b, defaultMatchRules({ fuzzy }))
  const seconds = (performance.now() - started) / 1_000
  const found = outcome.matches.filter((match) => match.a.id.slice(1) === match.b.id.slice(1)).length
  return {
    recordsPerSecond: Math.round((parties.a.length + parties.b.length) / seconds),
    seconds: round(seconds),
    comparisons: outcome.stats.comparisons,
    recall: round(found / parties.duplicates),
    falseMatches: outcome.matches.length - found,
  }
}

/** Measures the identity figures; keys are flat so the runner can merge them with other benches. */
export async function measureIdentity(): Promise<Record<string, number>> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  const figures: Record<string, number> = {}

  log(`identity: loading ${ENTITIES * SYSTEMS.length} links into memory`)
  const memory = memoryIdentityStore()
  figures.identity_memory_load_s = round(await load(memory))
  const memoryLatencies = await lookupLatencies(memory, MEMORY_LOOKUPS)
  figures.identity_memory_lookup_p50_us = round(percentile(memoryLatencies, 50))
  figures.identity_memory_lookup_p99_us = round(percentile(memoryLatencies, 99))
  await memory.close()

  const prefix = `junction-bench:identity:${randomUUID()}:`
  const redis = redisIdentityStore({ url, keyPrefix: prefix })
  try {
    log(`identity: loading ${ENTITIES * SYSTEMS.length} links into Redis under ${prefix}`)
    figures.identity_redis_load_s = round(await load(redis))
    const redisLatencies = await lookupLatencies(redis, REDIS_LOOKUPS)
    figures.identity_redis_lookup_p50_us = round(percentile(redisLatencies, 50))
    figures.identity_redis_lookup_p99_us = round(percentile(redisLatencies, 99))
    const batches = await batchLatencies(redis)
    figures.identity_redis_batch1000_p50_us = round(percentile(batches, 50))
    figures.identity_redis_batch1000_p99_us = round(percentile(batches, 99))
  } finally {
    await redis.close()
    log('identity: deleting the Redis keys')
    await deleteKeys(url, prefix)
  }

  log(`identity: generating ${MATCH_SIZE} × ${MATCH_SIZE} records`)
  const parties = generateParties({ size: MATCH_SIZE, seed: 11 })
  for (const fuzzy of [false, true]) {
    log(`identity: matching${fuzzy ? ' with the fuzzy rule' : ''}`)
    const result = matchThroughput(fuzzy, parties)
    const name = fuzzy ? 'identity_match_fuzzy' : 'identity_match'
    figures[`${name}_records_per_s`] = result.recordsPerSecond
    figures[`${name}_s`] = result.seconds
    figures[`${name}_comparisons`] = result.comparisons
    figures[`${name}_recall`] = result.recall
    figures[`${name}_false_matches`] = result.falseMatches
  }
  return figures
}
