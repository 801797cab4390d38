import type { Redis } from 'ioredis'
import { beforeAll, describe, expect, it } from 'vitest'
import { memoryStore } from '../stores/memory-store.js'
import { checkpointStoreContract } from '../testing/checkpoint-store-contract.js'
import { requireService } from '../testing/require-service.js'
import { redisTestKeys } from '../testing/test-support/redis-test-keys.js'
import { memoryCheckpoints, redisCheckpoints, storeCheckpoints } from './store-checkpoints.js'

const redis = await requireService('redis')

checkpointStoreContract('memoryCheckpoints', () => memoryCheckpoints())

describe('storeCheckpoints', () => {
  it('leaves the store it was given open when closed', async () => {
    const store = memoryStore()
    await storeCheckpoints(store).close()
    await store.set('still', 'open')
    expect(await store.get('still')).toBe('open')
    await store.close()
  })
})

describe.skipIf(redis.skip)('redisCheckpoints', () => {
  const { nextPrefix, ...keys } = redisTestKeys(redis.url, 'checkpoints')
  let client: Redis
  beforeAll(() => {
    client = keys.client()
  })

  checkpointStoreContract('redisCheckpoints', () => redisCheckpoints({ client, keyPrefix: nextPrefix() }))

  it('shares checkpoints between two processes pointed at the same prefix', async () => {
    const keyPrefix = nextPrefix()
    const writer = redisCheckpoints({ url: redis.url, keyPrefix })
    const reader = redisCheckpoints({ url: redis.url, keyPrefix })
    try {
      await writer.save('crm:Lead', { cursor: 'c-9', savedAt: new Date(0), records: 9 })
      expect((await reader.load('crm:Lead'))?.cursor).toBe('c-9')
      expect(await client.exists(`${keyPrefix}checkpoints:crm:Lead`)).toBe(1)
    } finally {
      await Promise.all([writer.close(), reader.close()])
    }
  })
})
