import { Redis, ReplyError } from 'ioredis'
import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { TransportError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import { type Logger, silentLogger } from '../logging/logger.js'
import type { KeyValueStore, StoreWriteOptions } from './key-value-store.js'
import { isRedisClient, redisConnectionOptions } from './redis-connection.js'
import { badCounter, checkIncrement, checkKey, checkTtl, storeClosed } from './store-arguments.js'
import { decodeStoredValue, encodeStoredValue } from './stored-value.js'

const DRIVER = 'redis'

/** Options for `redisStore`: give either a `client` to share or a `url` to connect to. */
export interface RedisStoreOptions {
  /** An ioredis client to share; the store uses it but never quits it. */
  client?: Redis
  /** A `redis://` or `rediss://` URL; the store opens its own connection and quits it on `close()`. */
  url?: string
  /** Prepended to every key (default `junction:`), so Junction's keys never collide with others'. */
  keyPrefix?: string
  /** Receives connection errors of a connection the store opened (calls still reject on their own). */
  logger?: Logger
}

const redisStoreOptionsSchema = redisConnectionOptions({
  keyPrefix: z.string().default('junction:'),
  logger: z
    .custom<Logger>((value) => typeof value === 'object' && value !== null && 'warn' in value)
    .optional(),
})

// One script so the integer check, the increment and the expiry happen atomically on the server.
const INCREMENT_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current and not string.match(current, '^%-?%d+$') then return false end
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`

interface Shared {
  readonly client: Redis
  readonly owned: boolean
  closed: boolean
}

/** A Redis failure as a typed error: a refused command is `STORE_FAILED`, anything else a retryable `CONNECTION_FAILED`. */
export const redisFailure = (operation: string, error: unknown): JunctionError => {
  if (error instanceof JunctionError) return error
  const reason = error instanceof Error ? error.message : String(error)
  if (error instanceof ReplyError) {
    return new JunctionError({
      code: 'STORE_FAILED',
      message: `redis store ${operation}: the server refused the command (${reason})`,
      system: DRIVER,
      operation,
      cause: error,
    })
  }
  return new TransportError({
    code: 'CONNECTION_FAILED',
    message: `redis store ${operation}: ${reason}`,
    system: DRIVER,
    operation,
    retryable: true,
    cause: error,
  })
}

/**
 * Creates the distributed store on ioredis, shared by every process that points at the same Redis
 * and prefix. Values are JSON with `Date`s tagged as `{"$date": iso}`, so other tools can read them.
 */
export function redisStore(target: Redis | string | RedisStoreOptions): KeyValueStore {
  const input =
    typeof target === 'string' ? { url: target } : isRedisClient(target) ? { client: target } : target
  const options = parseOptions(redisStoreOptionsSchema, input, 'redisStore')
  const client = options.client ?? new Redis(options.url ?? '')
  const shared: Shared = { client, owned: options.client === undefined, closed: false }
  if (shared.owned) {
    const logger = options.logger ?? silentLogger
    client.on('error', (error: Error) =>
      logger.warn({ system: DRIVER, error: error.message }, 'redis store connection error'),
    )
  }
  return createView(shared, options.keyPrefix, async () => {
    shared.closed = true
    if (shared.owned) await client.quit().catch(() => client.disconnect())
  })
}

function createView(shared: Shared, prefix: string, release: () => Promise<void>): KeyValueStore {
  let closed = false

  const call = async <T>(operation: string, command: (client: Redis) => Promise<T>): Promise<T> => {
    if (shared.closed || closed) throw storeClosed(DRIVER, operation)
    try {
      return await command(shared.client)
    } catch (error) {
      throw redisFailure(operation, error)
    }
  }
  const fullKey = (operation: string, key: string): string => prefix + checkKey(DRIVER, operation, key)
  const decode = <T>(text: string | null, key: string): T | undefined =>
    text === null ? undefined : (decodeStoredValue(text, key) as T)

  return {
    get<T>(key: string) {
      return call('get', async (client) => decode<T>(await client.get(fullKey('get', key)), key))
    },
    getMany<T>(keys: readonly string[]) {
      return call('getMany', async (client) => {
        if (keys.length === 0) return []
        const texts = await client.mget(keys.map((key) => fullKey('getMany', key)))
        return keys.map((key, index) => decode<T>(texts[index] ?? null, key))
      })
    },
    set(key: string, value: unknown, options?: StoreWriteOptions) {
      return call('set', async (client) => {
        const full = fullKey('set', key)
        const ttlMs = checkTtl(DRIVER, 'set', options)
        const text = encodeStoredValue(value, key)
        await (ttlMs === undefined ? client.set(full, text) : client.set(full, text, 'PX', ttlMs))
      })
    },
    setIfAbsent(key: string, value: unknown, options?: StoreWriteOptions) {
      return call('setIfAbsent', async (client) => {
        const full = fullKey('setIfAbsent', key)
        const ttlMs = checkTtl(DRIVER, 'setIfAbsent', options)
        const text = encodeStoredValue(value, key)
        const reply = await (ttlMs === undefined
          ? client.set(full, text, 'NX')
          : client.set(full, text, 'PX', ttlMs, 'NX'))
        return reply === 'OK'
      })
    },
    delete(key: string) {
      return call('delete', async (client) => (await client.del(fullKey('delete', key))) > 0)
    },
    increment(key: string, by = 1, options?: StoreWriteOptions) {
      return call('increment', async (client) => {
        const full = fullKey('increment', key)
        const step = checkIncrement(DRIVER, by)
        const ttlMs = checkTtl(DRIVER, 'increment', options) ?? 0
        const value = await client.eval(INCREMENT_SCRIPT, 1, full, step, ttlMs)
        if (value === null) throw badCounter(DRIVER, key, 'is not an integer')
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
          throw badCounter(DRIVER, key, 'would pass the largest safe integer')
        }
        return value
      })
    },
    namespace(name: string) {
      return createView(shared, `${prefix}${checkKey(DRIVER, 'namespace', name)}:`, async () => undefined)
    },
    async close() {
      if (closed) return
      closed = true
      await release()
    },
  }
}
