import { LRUCache } from 'lru-cache'
import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { storeClosed } from '../stores/store-arguments.js'
import { decodeStoredValue, encodeStoredValue } from '../stores/stored-value.js'
import { checkCacheEntry, checkCacheName } from './cache-entry-checks.js'
import type { CacheEntry, CacheStore } from './cache-store.js'

const DRIVER = 'memory'

/** Options for `memoryCache`: it holds at most `maxEntries` entries and `maxBytes` bytes. */
export interface MemoryCacheOptions {
  /** Most entries kept (default 10,000); the least recently used go first. */
  maxEntries?: number
  /** Most bytes kept, counted as the UTF-8 size of each serialized entry (default 64 MiB). */
  maxBytes?: number
  /** Larger entries are not stored at all (default `maxBytes`). */
  maxEntryBytes?: number
}

const memoryCacheOptionsSchema = z
  .object({
    maxEntries: z.number().int().positive().default(10_000),
    maxBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024 * 1024),
    maxEntryBytes: z.number().int().positive().optional(),
  })
  .refine((options) => options.maxEntryBytes === undefined || options.maxEntryBytes <= options.maxBytes, {
    message: 'must not exceed maxBytes',
    path: ['maxEntryBytes'],
  })

interface Held {
  /** The whole entry as stored JSON text: copies in and out, and an exact byte count. */
  readonly text: string
  readonly tags: readonly string[]
}

/**
 * Creates the embedded cache on lru-cache, bounded by entries and by bytes. Entries are kept as the
 * same tagged JSON the Redis driver writes, so both drivers accept and return exactly the same values.
 */
export function memoryCache(options: MemoryCacheOptions = {}): CacheStore {
  const { maxEntries, maxBytes, maxEntryBytes } = parseOptions(
    memoryCacheOptionsSchema,
    options,
    'memoryCache',
  )
  // tag -> keys carrying it; kept in step with the LRU by `dispose`, which sees every way an entry leaves.
  const tagged = new Map<string, Set<string>>()
  const untag = (key: string, tags: readonly string[]): void => {
    for (const tag of tags) {
      const keys = tagged.get(tag)
      keys?.delete(key)
      if (keys?.size === 0) tagged.delete(tag)
    }
  }
  const entries = new LRUCache<string, Held>({
    max: maxEntries,
    maxSize: maxBytes,
    maxEntrySize: maxEntryBytes ?? maxBytes,
    sizeCalculation: (held) => Math.max(1, Buffer.byteLength(held.text)),
    dispose: (held, key) => untag(key, held.tags),
  })
  let closed = false
  const open = (operation: string): void => {
    if (closed) throw storeClosed(DRIVER, operation)
  }

  return {
    async get<T>(key: string) {
      open('get')
      const held = entries.get(checkCacheName(DRIVER, 'get', key))
      return held === undefined ? undefined : (decodeStoredValue(held.text, key) as CacheEntry<T>)
    },
    async set<T>(key: string, entry: CacheEntry<T>) {
      open('set')
      checkCacheName(DRIVER, 'set', key)
      const tags = [...new Set(checkCacheEntry(DRIVER, entry))]
      const text = encodeStoredValue(entry, key)
      const ttl = Math.ceil(entry.staleUntil - Date.now())
      if (ttl <= 0) {
        entries.delete(key)
        return
      }
      // Set first: replacing an entry disposes the old one, which drops the old tags.
      entries.set(key, { text, tags }, { ttl })
      if (!entries.has(key)) return
      for (const tag of tags) {
        let keys = tagged.get(tag)
        if (keys === undefined) {
          keys = new Set()
          tagged.set(tag, keys)
        }
        keys.add(key)
      }
    },
    async delete(key: string) {
      open('delete')
      // `has` first: lru-cache's delete also reports an entry whose ttl had already passed.
      const present = entries.has(checkCacheName(DRIVER, 'delete', key))
      entries.delete(key)
      return present
    },
    async invalidateTag(tag: string) {
      open('invalidateTag')
      const keys = tagged.get(checkCacheName(DRIVER, 'invalidateTag', tag, 'tag'))
      if (keys === undefined) return 0
      let removed = 0
      for (const key of [...keys]) {
        if (entries.has(key)) removed++
        entries.delete(key)
      }
      tagged.delete(tag)
      return removed
    },
    async close() {
      if (closed) return
      closed = true
      entries.clear()
      tagged.clear()
    },
  }
}
