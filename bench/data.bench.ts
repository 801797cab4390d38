/**
 * `pnpm bench:data`: the data layer's figures in one run — cache hits and coalescing, identity
 * lookups and matching, audit appends (JSONL and PostgreSQL). Each part prints its progress to stderr;
 * the last stdout line is one JSON object with every figure, keyed by part.
 * Needs Redis (REDIS_URL, default 127.0.0.1:6379) and PostgreSQL (DATABASE_URL, default the local `test`).
 */
import { measureAudit } from './data/audit.js'
import { measureCache } from './data/cache.js'
import { measureIdentity } from './data/identity.js'

const started = performance.now()
const cache = await measureCache()
const identity = await measureIdentity()
const audit = await measureAudit()
const goals = {
  memory_hit_p99_under_50us: (cache.memoryHitP99Us ?? Number.POSITIVE_INFINITY) < 50,
  redis_hit_p99_under_1ms: (cache.redisHitP99Us ?? Number.POSITIVE_INFINITY) < 1000,
  one_upstream_call_for_1000_misses:
    cache.memoryConcurrentMissUpstreamCalls === 1 && cache.redisConcurrentMissUpstreamCalls === 1,
  identity_1m_lookup_p99_under_50us:
    (identity.identity_memory_lookup_p99_us ?? Number.POSITIVE_INFINITY) < 50,
}
console.log(
  JSON.stringify({
    bench: 'data',
    seconds: Math.round((performance.now() - started) / 1000),
    node: process.version,
    cache,
    identity,
    audit,
    goals,
  }),
)
