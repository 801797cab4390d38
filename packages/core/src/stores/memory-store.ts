import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import type { KeyValueStore, StoreWriteOptions } from './key-value-store.js'
import { badCounter, checkIncrement, checkKey, checkTtl, storeClosed } from './store-arguments.js'
import { fromStoredJson, type StoredJson, toStoredJson } from './stored-value.js'

const DRIVER = 'memory'

/** Options for `memoryStore`. */
export interface MemoryStoreOptions {
  /** How often expired entries are swept out of memory (default 60 s); reads never see them either way. */
  purgeIntervalMs?: number
}

const memoryStoreOptionsSchema = z.object({
  purgeIntervalMs: z.number().int().positive().default(60_000),
})

interface Entry {
  value: StoredJson
  expiresAt: number | undefined
}

interface Shared {
  readonly entries: Map<string, Entry>
  readonly purgeIntervalMs: number
  timer: NodeJS.Timeout | undefined
  closed: boolean
}

const isExpired = (entry: Entry, now: number): boolean =>
  entry.expiresAt !== undefined && entry.expiresAt <= now

const purge = (shared: Shared): void => {
  const now = Date.now()
  for (const [key, entry] of shared.entries) if (isExpired(entry, now)) shared.entries.delete(key)
}

const expiryFor = (shared: Shared, ttlMs: number | undefined): number | undefined => {
  if (ttlMs === undefined) return undefined
  // unref(): a pending sweep must never keep the process alive.
  shared.timer ??= setInterval(() => purge(shared), shared.purgeIntervalMs).unref()
  return Date.now() + ttlMs
}

/**
 * Creates the embedded store: one process, zero set-up. Values are kept as copies in plain JSON, the
 * same shape the Redis driver writes, so code that works here behaves the same against Redis.
 */
export function memoryStore(options: MemoryStoreOptions = {}): KeyValueStore {
  const { purgeIntervalMs } = parseOptions(memoryStoreOptionsSchema, options, 'memoryStore')
  const shared: Shared = { entries: new Map(), purgeIntervalMs, timer: undefined, closed: false }
  return createView(shared, '', () => {
    shared.closed = true
    clearInterval(shared.timer)
    shared.entries.clear()
  })
}

function createView(shared: Shared, prefix: string, release: () => void): KeyValueStore {
  let closed = false

  const open = (operation: string): void => {
    if (shared.closed || closed) throw storeClosed(DRIVER, operation)
  }
  const fullKey = (operation: string, key: string): string => prefix + checkKey(DRIVER, operation, key)
  const live = (key: string): Entry | undefined => {
    const entry = shared.entries.get(key)
    if (entry === undefined || !isExpired(entry, Date.now())) return entry
    shared.entries.delete(key)
    return undefined
  }
  const read = <T>(key: string): T | undefined => {
    const entry = live(key)
    return entry === undefined ? undefined : (fromStoredJson(entry.value) as T)
  }

  return {
    async get<T>(key: string) {
      open('get')
      return read<T>(fullKey('get', key))
    },
    async getMany<T>(keys: readonly string[]) {
      open('getMany')
      const full = keys.map((key) => fullKey('getMany', key))
      return full.map((key) => read<T>(key))
    },
    async set(key: string, value: unknown, options?: StoreWriteOptions) {
      open('set')
      const full = fullKey('set', key)
      const ttlMs = checkTtl(DRIVER, 'set', options)
      const stored = toStoredJson(value, key)
      shared.entries.set(full, { value: stored, expiresAt: expiryFor(shared, ttlMs) })
    },
    async setIfAbsent(key: string, value: unknown, options?: StoreWriteOptions) {
      open('setIfAbsent')
      const full = fullKey('setIfAbsent', key)
      const ttlMs = checkTtl(DRIVER, 'setIfAbsent', options)
      const stored = toStoredJson(value, key)
      // Check and write happen in one synchronous step, so no other call can slip in between.
      if (live(full) !== undefined) return false
      shared.entries.set(full, { value: stored, expiresAt: expiryFor(shared, ttlMs) })
      return true
    },
    async delete(key: string) {
      open('delete')
      const full = fullKey('delete', key)
      return live(full) !== undefined && shared.entries.delete(full)
    },
    async increment(key: string, by = 1, options?: StoreWriteOptions) {
      open('increment')
      const full = fullKey('increment', key)
      const step = checkIncrement(DRIVER, by)
      const ttlMs = checkTtl(DRIVER, 'increment', options)
      const entry = live(full)
      const current = entry === undefined ? 0 : entry.value
      if (typeof current !== 'number' || !Number.isSafeInteger(current)) {
        throw badCounter(DRIVER, key, 'is not an integer')
      }
      const next = current + step
      if (!Number.isSafeInteger(next)) throw badCounter(DRIVER, key, 'would pass the largest safe integer')
      const expiresAt = ttlMs === undefined ? entry?.expiresAt : expiryFor(shared, ttlMs)
      shared.entries.set(full, { value: next, expiresAt })
      return next
    },
    namespace(name: string) {
      return createView(shared, `${prefix}${checkKey(DRIVER, 'namespace', name)}:`, () => undefined)
    },
    async close() {
      if (closed) return
      closed = true
      release()
    },
  }
}
