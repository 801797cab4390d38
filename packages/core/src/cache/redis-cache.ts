import { Redis } from 'ioredis'
import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { type Logger, silentLogger } from '../logging/logger.js'
import { isRedisClient, redisConnectionOptions } from '../stores/redis-connection.js'
import { redisFailure } from '../stores/redis-store.js'
import { storeClosed } from '../stores/store-arguments.js'
import { decodeStoredValue, encodeStoredValue } from '../stores/stored-value.js'
import { checkCacheEntry, checkCacheName } from './cache-entry-checks.js'
import type { CacheEntry, CacheStore } from './cache-store.js'

const DRIVER = 'redis'

/** Options for `redisCache`: give either a `client` to share or a `url` to connect to. */
export interface RedisCacheOptions {
  /** An ioredis client to share; the cache uses it but never quits it. */
  client?: Redis
  /** A `redis://` or `rediss://` URL; the cache opens its own connection and quits it on `close()`. */
  url?: string
  /** Prepended to every key (default `junction:cache:`); entries sit under `entry:`, tag sets under `tag:`. */
  keyPrefix?: string
  /** Receives connection errors of a connection the cache opened (calls still reject on their own). */
  logger?: Logger
}

const redisCacheOptionsSchema = redisConnectionOptions({
  keyPrefix: z.string().default('junction:cache:'),
  logger: z
    .custom<Logger>((value) => typeof value === 'object' && value !== null && 'warn' in value)
    .optional(),
})

// The entry's own JSON names its tags, so replacing or deleting it can take it out of their sets. Each
// script runs atomically; tag sets expire with their longest-lived entry, so none outlives its entries.
const FORGET_TAGS = `
local function forget(entryKey, tagPrefix, except)
  local old = redis.call('GET', entryKey)
  if not old then return end
  local ok, decoded = pcall(cjson.decode, old)
  if ok and type(decoded) == 'table' and type(decoded.tags) == 'table' then
    for _, tag in ipairs(decoded.tags) do
      if tagPrefix .. tag ~= except then redis.call('SREM', tagPrefix .. tag, entryKey) end
    end
  end
end
`
const SET_SCRIPT = `${FORGET_TAGS}
forget(KEYS[1], ARGV[3], '')
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
for i = 4, #ARGV do
  local tagKey = ARGV[3] .. ARGV[i]
  redis.call('SADD', tagKey, KEYS[1])
  if redis.call('PTTL', tagKey) < ttl then redis.call('PEXPIRE', tagKey, ttl) end
end
return 1
`
const DELETE_SCRIPT = `${FORGET_TAGS}
forget(KEYS[1], ARGV[1], '')
return redis.call('DEL', KEYS[1])
`
const INVALIDATE_SCRIPT = `${FORGET_TAGS}
local removed = 0
for _, entryKey in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  forget(entryKey, ARGV[1], KEYS[1])
  removed = removed + redis.call('DEL', entryKey)
end
redis.call('DEL', KEYS[1])
return removed
`

/**
 * Creates the distributed cache on ioredis: each entry is tagged JSON (the `redisStore` encoding, so
 * `Date`s round-trip) with a `PX` expiry at `staleUntil`, and each tag a Redis set of entry keys.
 * The scripts touch tag keys they compute, so this driver targets a single Redis, not Cluster.
 */
export function redisCache(target: Redis | string | RedisCacheOptions): CacheStore {
  const input =
    typeof target === 'string' ? { url: target } : isRedisClient(target) ? { client: target } : target
  const options = parseOptions(redisCacheOptionsSchema, input, 'redisCache')
  const client = options.client ?? new Redis(options.url ?? '')
  const owned = options.client === undefined
  if (owned) {
    const logger = options.logger ?? silentLogger
    client.on('error', (error: Error) =>
      logger.warn({ system: DRIVER, error: error.message }, 'redis cache connection error'),
    )
  }
  const entryPrefix = `${options.keyPrefix}entry:`
  const tagPrefix = `${options.keyPrefix}tag:`
  let closed = false

  const call = async <T>(operation: string, command: () => Promise<T>): Promise<T> => {
    if (closed) throw storeClosed(DRIVER, operation)
    try {
      return await command()
    } catch (error) {
      throw redisFailure(operation, error)
    }
  }

  return {
    get<T>(key: string) {
      return call('get', async () => {
        const text = await client.get(entryPrefix + checkCacheName(DRIVER, 'get', key))
        return text === null ? undefined : (decodeStoredValue(text, key) as CacheEntry<T>)
      })
    },
    set<T>(key: string, entry: CacheEntry<T>) {
      return call('set', async () => {
        const full = entryPrefix + checkCacheName(DRIVER, 'set', key)
        const tags = [...new Set(checkCacheEntry(DRIVER, entry))]
        const text = encodeStoredValue(entry, key)
        const ttl = Math.ceil(entry.staleUntil - Date.now())
        if (ttl <= 0) await client.eval(DELETE_SCRIPT, 1, full, tagPrefix)
        else await client.eval(SET_SCRIPT, 1, full, text, ttl, tagPrefix, ...tags)
      })
    },
    delete(key: string) {
      return call('delete', async () => {
        const full = entryPrefix + checkCacheName(DRIVER, 'delete', key)
        return (await client.eval(DELETE_SCRIPT, 1, full, tagPrefix)) === 1
      })
    },
    invalidateTag(tag: string) {
      return call('invalidateTag', async () => {
        const full = tagPrefix + checkCacheName(DRIVER, 'invalidateTag', tag, 'tag')
        return Number(await client.eval(INVALIDATE_SCRIPT, 1, full, tagPrefix))
      })
    },
    async close() {
      if (closed) return
      closed = true
      if (owned) await client.quit().catch(() => client.disconnect())
    },
  }
}
