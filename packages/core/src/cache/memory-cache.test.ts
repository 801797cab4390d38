import { describe, expect, it } from 'vitest'
import { cacheContract } from '../testing/cache-store-contract.js'
import type { CacheEntry } from './cache-store.js'
import { memoryCache } from './memory-cache.js'

cacheContract('memoryCache', () => memoryCache())

const entry = <T>(value: T, tags?: string[]): CacheEntry<T> => {
  const now = Date.now()
  return { value, storedAt: now, freshUntil: now + 60_000, staleUntil: now + 60_000, tags }
}

const kilobyte = 'x'.repeat(1024)

describe('memoryCache', () => {
  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = memoryCache({ maxEntries: 2 })
    await cache.set('a', entry(1))
    await cache.set('b', entry(2))
    await cache.get('a')
    await cache.set('c', entry(3))
    expect(await cache.get('b')).toBeUndefined()
    expect((await cache.get('a'))?.value).toBe(1)
    expect((await cache.get('c'))?.value).toBe(3)
  })

  it('evicts the least recently used entries beyond maxBytes', async () => {
    const cache = memoryCache({ maxBytes: 4 * 1024 })
    for (const key of ['a', 'b', 'c', 'd', 'e']) await cache.set(key, entry(kilobyte))
    expect(await cache.get('a')).toBeUndefined()
    expect((await cache.get('e'))?.value).toBe(kilobyte)
  })

  it('does not store an entry larger than maxEntryBytes', async () => {
    const cache = memoryCache({ maxEntryBytes: 512 })
    await cache.set('big', entry(kilobyte))
    await cache.set('small', entry('ok'))
    expect(await cache.get('big')).toBeUndefined()
    expect((await cache.get('small'))?.value).toBe('ok')
  })

  it('forgets the tags of an evicted entry', async () => {
    const cache = memoryCache({ maxEntries: 1 })
    await cache.set('a', entry(1, ['tag']))
    await cache.set('b', entry(2))
    expect(await cache.invalidateTag('tag')).toBe(0)
    expect((await cache.get('b'))?.value).toBe(2)
  })

  it('rejects maxEntryBytes above maxBytes with a ConfigError', () => {
    expect(() => memoryCache({ maxBytes: 10, maxEntryBytes: 20 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    )
  })
})
