import { createServer } from 'node:net'
import { Redis } from 'ioredis'
import { beforeAll, describe, expect, it } from 'vitest'
import { keyValueStoreContract } from '../testing/key-value-store-contract.js'
import { requireService } from '../testing/require-service.js'
import { redisTestKeys } from '../testing/test-support/redis-test-keys.js'
import { redisStore } from './redis-store.js'
import { redisStores } from './redis-stores.js'

const redis = await requireService('redis')

// A port nothing listens on: bound, then released.
const closedPort = async (): Promise<number> => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

describe.skipIf(redis.skip)('redisStore', () => {
  const { runPrefix, nextPrefix, ...keys } = redisTestKeys(redis.url, 'store')
  let client: Redis
  beforeAll(() => {
    client = keys.client()
  })

  keyValueStoreContract('redisStore', () => redisStore({ client, keyPrefix: nextPrefix() }))

  it('shares values between two connections given the same url and prefix', async () => {
    const keyPrefix = nextPrefix()
    const writer = redisStore({ url: redis.url, keyPrefix })
    const reader = redisStore({ url: redis.url, keyPrefix })
    try {
      await writer.set('cursor', { page: 3, at: new Date('2026-11-24T10:00:00.000Z') })
      await writer.increment('hits', 7)
      expect(await reader.get('cursor')).toEqual({ page: 3, at: new Date('2026-11-24T10:00:00.000Z') })
      expect(await reader.increment('hits')).toBe(8)
    } finally {
      await Promise.all([writer.close(), reader.close()])
    }
  })

  it('writes tagged JSON under the key prefix, readable by other tools', async () => {
    const keyPrefix = nextPrefix()
    const store = redisStore({ client, keyPrefix })
    await store
      .namespace('tenant')
      .set('cursor', { at: new Date('2026-11-24T10:00:00.000Z'), note: { $date: 'x' } })
    expect(await client.get(`${keyPrefix}tenant:cursor`)).toBe(
      '{"at":{"$date":"2026-11-24T10:00:00.000Z"},"note":{"$escape":{"$date":"x"}}}',
    )
  })

  it('uses a PX expiry on the server for a ttl', async () => {
    const keyPrefix = nextPrefix()
    const store = redisStore({ client, keyPrefix })
    await store.set('session', 1, { ttlMs: 60_000 })
    const ttl = await client.pttl(`${keyPrefix}session`)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(60_000)
  })

  it('prefixes keys with junction: by default', async () => {
    const store = redisStore(client)
    const key = `${runPrefix}default-prefix`
    try {
      await store.set(key, 1)
      expect(await client.get(`junction:${key}`)).toBe('1')
    } finally {
      await client.del(`junction:${key}`)
    }
  })

  it('does not quit a client the caller passed in when closed', async () => {
    const own = new Redis(redis.url)
    try {
      const store = redisStore(own)
      await store.get('key')
      await store.close()
      expect(own.status).toBe('ready')
      expect(await own.ping()).toBe('PONG')
    } finally {
      await own.quit()
    }
  })

  it('wraps a connection failure in a retryable TransportError', async () => {
    const port = await closedPort()
    const unreachable = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    })
    unreachable.on('error', () => undefined)
    const store = redisStore(unreachable)
    await expect(store.get('key')).rejects.toMatchObject({
      name: 'TransportError',
      code: 'CONNECTION_FAILED',
      system: 'redis',
      operation: 'get',
      retryable: true,
    })
    unreachable.disconnect()
  })

  it('reports a value written by another tool that is not JSON as a ValidationError', async () => {
    const keyPrefix = nextPrefix()
    await client.set(`${keyPrefix}raw`, 'not json')
    await expect(redisStore({ client, keyPrefix }).get('raw')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })

  it('reports a key holding another Redis type as a STORE_FAILED error', async () => {
    const keyPrefix = nextPrefix()
    await client.rpush(`${keyPrefix}list`, 'a')
    await expect(redisStore({ client, keyPrefix }).get('list')).rejects.toMatchObject({
      code: 'STORE_FAILED',
    })
  })

  it('rejects options with neither a client nor a url with a ConfigError', () => {
    expect(() => redisStore({ keyPrefix: 'x:' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
  })

  it('rejects a url that is not redis:// without echoing it', () => {
    expect(() => redisStore('https://user:secret@example.com')).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.not.stringContaining('secret') }),
    )
  })
})

describe.skipIf(redis.skip)('redisStores', () => {
  it('closes its state store when the bundle is closed', async () => {
    const stores = redisStores(redis.url)
    await stores.state.get('key')
    await stores.close()
    await expect(stores.state.get('key')).rejects.toMatchObject({ code: 'STORE_CLOSED' })
  })
})
