import { Redis } from 'ioredis'
import { beforeAll, describe, expect, it } from 'vitest'
import { cacheContract } from '../testing/cache-store-contract.js'
import { requireService } from '../testing/require-service.js'
import { redisTestKeys } from '../testing/test-support/redis-test-keys.js'
import { redisCache } from './redis-cache.js'

const redis = await requireService('redis')

describe.skipIf(redis.skip)('redisCache', () => {
  const { nextPrefix, ...keys } = redisTestKeys(redis.url, 'cache')
  let client: Redis
  beforeAll(() => {
    client = keys.client()
  })

  cacheContract('redisCache', () => redisCache({ client, keyPrefix: nextPrefix() }))

  const entry = (value: unknown, tags: string[], staleMs = 60_000) => {
    const now = Date.now()
    return { value, storedAt: now, freshUntil: now + 1_000, staleUntil: now + staleMs, tags }
  }

  it('writes the entry as tagged JSON with a PX expiry at staleUntil', async () => {
    const keyPrefix = nextPrefix()
    const cache = redisCache({ client, keyPrefix })
    await cache.set('key', entry({ at: new Date('2026-11-24T10:00:00.000Z') }, [], 30_000))
    const text = await client.get(`${keyPrefix}entry:key`)
    expect(JSON.parse(text ?? '{}').value).toEqual({ at: { $date: '2026-11-24T10:00:00.000Z' } })
    const ttl = await client.pttl(`${keyPrefix}entry:key`)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(30_000)
  })

  it('keeps each tag as a set that expires no earlier than its longest-lived entry', async () => {
    const keyPrefix = nextPrefix()
    const cache = redisCache({ client, keyPrefix })
    await cache.set('long', entry(1, ['tag'], 50_000))
    await cache.set('short', entry(2, ['tag'], 5_000))
    expect(await client.smembers(`${keyPrefix}tag:tag`)).toHaveLength(2)
    expect(await client.pttl(`${keyPrefix}tag:tag`)).toBeGreaterThan(5_000)
  })

  it('leaves no tag sets behind once their entries are invalidated or deleted', async () => {
    const keyPrefix = nextPrefix()
    const cache = redisCache({ client, keyPrefix })
    await cache.set('a', entry(1, ['x', 'y']))
    await cache.set('b', entry(2, ['z']))
    await cache.invalidateTag('x')
    await cache.delete('b')
    expect(await client.keys(`${keyPrefix}*`)).toEqual([])
  })

  it('shares entries between two connections given the same url and prefix', async () => {
    const keyPrefix = nextPrefix()
    const writer = redisCache({ url: redis.url, keyPrefix })
    const reader = redisCache({ url: redis.url, keyPrefix })
    try {
      await writer.set('key', entry('shared', ['tag']))
      expect((await reader.get('key'))?.value).toBe('shared')
      expect(await reader.invalidateTag('tag')).toBe(1)
    } finally {
      await Promise.all([writer.close(), reader.close()])
    }
  })

  it('does not quit a client the caller passed in when closed', async () => {
    const own = new Redis(redis.url)
    try {
      const cache = redisCache(own)
      await cache.close()
      expect(await own.ping()).toBe('PONG')
    } finally {
      await own.quit()
    }
  })

  it('rejects options with neither a client nor a url with a ConfigError', () => {
    expect(() => redisCache({ keyPrefix: 'x:' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
  })
})
