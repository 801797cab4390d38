/**
 * One process of the cross-process coalescing test: a cache on Redis with the Redis lock, 50 concurrent
 * identical reads once the parent writes `go` on stdin; prints the versions it read as JSON.
 */
import { createInterface } from 'node:readline'
import { redisStore } from '../../stores/redis-store.js'
import { redisCache } from '../redis-cache.js'
import { accountRead, type CountingUpstream, cachedClient } from './counting-upstream.js'

const [upstreamUrl = '', redisUrl = '', keyPrefix = ''] = process.argv.slice(2)
const store = redisCache({ url: redisUrl, keyPrefix })
const locks = redisStore({ url: redisUrl, keyPrefix })
const { send, transport } = cachedClient({ store, crossProcess: { store: locks, pollIntervalMs: 10 } })
const upstream = { url: upstreamUrl } as CountingUpstream

const lines = createInterface({ input: process.stdin })
process.stdout.write('ready\n')
for await (const line of lines) {
  if (line !== 'go') continue
  const responses = await Promise.all(
    Array.from({ length: 50 }, () => send<{ version: number }>(accountRead(upstream, 'shared'))),
  )
  process.stdout.write(`${JSON.stringify(responses.map((response) => response.body.version))}\n`)
  break
}
lines.close()
await Promise.all([store.close(), locks.close(), transport.close()])
