import type { Redis } from 'ioredis'
import type { KeyValueStore } from '../stores/key-value-store.js'
import { memoryStore } from '../stores/memory-store.js'
import { type RedisStoreOptions, redisStore } from '../stores/redis-store.js'
import type { CheckpointStore } from './checkpoint-store.js'
import { checkCheckpoint, checkCheckpointKey } from './checkpoint-value.js'

const NAMESPACE = 'checkpoints'

/**
 * Checkpoints kept in a `KeyValueStore` under `checkpoints:<key>`. A store passed in is shared, not
 * owned: closing the checkpoints leaves it open.
 */
export function storeCheckpoints(store: KeyValueStore, driver = 'store'): CheckpointStore {
  const view = store.namespace(NAMESPACE)
  return {
    async load(key) {
      const value = await view.get(checkCheckpointKey(driver, 'load', key))
      return value === undefined ? undefined : checkCheckpoint(driver, key, value)
    },
    async save(key, checkpoint) {
      await view.set(checkCheckpointKey(driver, 'save', key), checkCheckpoint(driver, key, checkpoint))
    },
    delete(key) {
      return view.delete(checkCheckpointKey(driver, 'delete', key))
    },
    close: () => view.close(),
  }
}

/** Checkpoints in this process's memory: for tests and one-off runs (a restart starts over). */
export function memoryCheckpoints(): CheckpointStore {
  const store = memoryStore()
  const checkpoints = storeCheckpoints(store, 'memory')
  return { ...checkpoints, close: () => store.close() }
}

/** Checkpoints in Redis, shared by every process given the same URL or client and key prefix. */
export function redisCheckpoints(target: Redis | string | RedisStoreOptions): CheckpointStore {
  const store = redisStore(target)
  const checkpoints = storeCheckpoints(store, 'redis')
  return { ...checkpoints, close: () => store.close() }
}
