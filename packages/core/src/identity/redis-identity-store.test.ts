import type { Redis } from 'ioredis'
import { beforeAll, describe, expect, it } from 'vitest'
import { requireService } from '../testing/require-service.js'
import { redisTestKeys } from '../testing/test-support/redis-test-keys.js'
import { identityStoreContract } from './identity-store-contract.js'
import { redisIdentityStore } from './redis-identity-store.js'

const redis = await requireService('redis')

describe.skipIf(redis.skip)('redisIdentityStore', () => {
  const { nextPrefix, ...keys } = redisTestKeys(redis.url, 'identity')
  let client: Redis
  beforeAll(() => {
    client = keys.client()
  })

  identityStoreContract('redisIdentityStore', (options) =>
    redisIdentityStore({ ...options, client, keyPrefix: nextPrefix() }),
  )

  it('resolves a batch of 2,000 ids in one round trip', async () => {
    const store = redisIdentityStore({ client, keyPrefix: nextPrefix() })
    const refs = Array.from({ length: 2_000 }, (_, index) => ({ system: 'crm', id: `001-${index}` }))
    await store.link('cust-1', refs.slice(0, 1_000))
    const before = { ...store.stats }
    const entities = await store.resolveMany(refs)
    expect(store.stats.roundTrips - before.roundTrips).toBe(1)
    expect(store.stats.commands - before.commands).toBe(4)
    expect(entities.filter((entity) => entity?.canonicalId === 'cust-1')).toHaveLength(1_000)
  })

  it('sees a conflict made by another connection to the same Redis', async () => {
    const keyPrefix = nextPrefix()
    const first = redisIdentityStore({ url: redis.url, keyPrefix })
    const second = redisIdentityStore({ url: redis.url, keyPrefix })
    try {
      await first.link('cust-1', { system: 'crm', id: '001A' })
      const result = await second.link('cust-2', { system: 'crm', id: '001A' })
      expect(result).toMatchObject({ ok: false, conflicts: [{ heldBy: 'cust-1', claimedBy: 'cust-2' }] })
    } finally {
      await Promise.all([first.close(), second.close()])
    }
  })

  it('keeps its keys under the prefix in per-system and per-entity hashes', async () => {
    const keyPrefix = nextPrefix()
    const store = redisIdentityStore({ client, keyPrefix })
    await store.link('cust-1', { system: 'crm', id: '001A' })
    expect(await client.hget(`${keyPrefix}ref:crm`, '001A')).toBe('cust-1')
    expect(await client.hgetall(`${keyPrefix}entity:cust-1`)).toEqual({ 'crm:001A': '001A' })
  })

  it('rejects options with neither a client nor a url', () => {
    expect(() => redisIdentityStore({})).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
  })
})
