import type { Redis } from 'ioredis'
import { type RedisStoreOptions, redisStore } from './redis-store.js'
import type { Stores } from './stores.js'

/** The distributed stores: state shared through Redis by every process given the same URL or client. */
export function redisStores(target: Redis | string | RedisStoreOptions): Stores {
  const state = redisStore(target)
  return { state, close: () => state.close() }
}
