import { Redis } from 'ioredis'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { messageBusContract } from '../testing/message-bus-contract.js'
import { requireService } from '../testing/require-service.js'
import { redisTestKeys } from '../testing/test-support/redis-test-keys.js'
import { redisBus } from './redis-bus.js'

const redis = await requireService('redis')

describe.skipIf(redis.skip)('redisBus', () => {
  const { nextPrefix, ...keys } = redisTestKeys(redis.url, 'bus')
  let client: Redis
  beforeAll(() => {
    client = keys.client()
  })

  messageBusContract('redisBus', () => redisBus({ client, keyPrefix: nextPrefix() }))

  it('keeps a topic in a stream under the key prefix, with its consumer group', async () => {
    const keyPrefix = nextPrefix()
    const bus = redisBus({ client, keyPrefix })
    try {
      await bus.subscribe('orders', () => undefined, { group: 'billing' })
      const id = await bus.publish('orders', { order: 'SO-1' })
      expect(await client.xlen(`${keyPrefix}bus:orders`)).toBe(1)
      const [[, fields] = ['', []]] = (await client.xrange(`${keyPrefix}bus:orders`, id, id)) as Array<
        [string, string[]]
      >
      expect(fields.slice(0, 2)).toEqual(['payload', '{"order":"SO-1"}'])
      const groups = (await client.xinfo('GROUPS', `${keyPrefix}bus:orders`)) as unknown[][]
      expect(groups.map((group) => group[1])).toEqual(['billing'])
    } finally {
      await bus.close()
    }
  })

  it('shares one group between two buses, as two processes would', async () => {
    const keyPrefix = nextPrefix()
    const first = redisBus({ url: redis.url, keyPrefix })
    const second = redisBus({ url: redis.url, keyPrefix })
    try {
      const seen: unknown[] = []
      for (const bus of [first, second]) {
        await bus.subscribe('orders', (message) => void seen.push(message.payload), { group: 'billing' })
      }
      for (let index = 0; index < 10; index++) await first.publish('orders', index)
      await vi.waitFor(() => expect(seen).toHaveLength(10), { timeout: 10_000 })
      expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    } finally {
      await Promise.all([first.close(), second.close()])
    }
  })

  it('takes over a message a crashed process left pending, counting its deliveries', async () => {
    const keyPrefix = nextPrefix()
    const key = `${keyPrefix}bus:orders`
    const bus = redisBus({ client, keyPrefix })
    try {
      await client.xgroup('CREATE', key, 'billing', '0', 'MKSTREAM')
      await bus.publish('orders', 'orphan')
      // A consumer that read the message and died before acknowledging it.
      await client.xreadgroup('GROUP', 'billing', 'crashed', 'COUNT', 1, 'STREAMS', key, '>')
      const counts: number[] = []
      await bus.subscribe('orders', (message) => void counts.push(message.deliveryCount), {
        group: 'billing',
        redeliverAfterMs: 50,
      })
      await vi.waitFor(() => expect(counts).toEqual([2]), { timeout: 10_000 })
      await vi.waitFor(async () =>
        expect(await client.xpending(key, 'billing')).toEqual([0, null, null, null]),
      )
    } finally {
      await bus.close()
    }
  })

  it('dead-letters an entry another tool wrote that does not decode, without calling the handler', async () => {
    const keyPrefix = nextPrefix()
    const bus = redisBus({ client, keyPrefix })
    try {
      const handled: unknown[] = []
      await bus.subscribe('orders', (message) => void handled.push(message), { group: 'billing' })
      const letters: unknown[] = []
      await bus.subscribe('orders.dead-letter', (message) => void letters.push(message.payload), {
        group: 'ops',
      })
      await client.xadd(`${keyPrefix}bus:orders`, '*', 'payload', 'not json')
      await vi.waitFor(() => expect(letters).toHaveLength(1), { timeout: 10_000 })
      expect(letters[0]).toMatchObject({
        topic: 'orders',
        group: 'billing',
        payload: { payload: 'not json' },
        error: { code: 'VALIDATION_FAILED', retryable: false },
      })
      expect(handled).toEqual([])
    } finally {
      await bus.close()
    }
  })

  it('rejects subscribe with a retryable CONNECTION_FAILED when Redis is unreachable', async () => {
    const unreachable = new Redis({
      port: 1,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    })
    unreachable.on('error', () => undefined)
    const bus = redisBus({ client: unreachable, keyPrefix: nextPrefix() })
    await expect(bus.subscribe('orders', () => undefined, { group: 'g' })).rejects.toMatchObject({
      code: 'CONNECTION_FAILED',
      retryable: true,
    })
    await bus.close()
    unreachable.disconnect()
  })

  it('trims a stream to about maxLength entries', async () => {
    const keyPrefix = nextPrefix()
    const bus = redisBus({ client, keyPrefix, maxLength: 10 })
    try {
      for (let index = 0; index < 500; index++) await bus.publish('ticks', index)
      expect(await client.xlen(`${keyPrefix}bus:ticks`)).toBeLessThan(500)
    } finally {
      await bus.close()
    }
  })

  it('does not quit a client the caller passed in when closed', async () => {
    const own = new Redis(redis.url)
    try {
      const bus = redisBus({ client: own, keyPrefix: nextPrefix() })
      await bus.subscribe('orders', () => undefined, { group: 'g' })
      await bus.close()
      expect(await own.ping()).toBe('PONG')
    } finally {
      await own.quit()
    }
  })

  it('rejects options with neither a client nor a url with a ConfigError', () => {
    expect(() => redisBus({ keyPrefix: 'x:' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
  })
})
