import { randomUUID } from 'node:crypto'
import {
  type CheckpointStore,
  type KeyValueStore,
  memoryCheckpoints,
  memoryStore,
  redisCheckpoints,
  redisStore,
} from '@junction/core'
import { Redis } from 'ioredis'

/** Where a run keeps its checkpoints, synced records and approval requests. */
export interface RunState {
  kind: 'memory' | 'redis'
  state: KeyValueStore
  checkpoints: CheckpointStore
  /** Closes the stores; in Redis, first deletes every key this run wrote. */
  close(): Promise<void>
}

/**
 * Memory by default; with a Redis URL, Redis under a key prefix of this run's own. The simulator is
 * seeded afresh on every run, so state must not outlive it: the run's keys are removed on close (give
 * `redisKeyPrefix` to choose the prefix; every key under it is removed).
 */
export function runState(redisUrl: string | undefined, redisKeyPrefix?: string): RunState {
  if (redisUrl === undefined) {
    const state = memoryStore()
    const checkpoints = memoryCheckpoints()
    return {
      kind: 'memory',
      state,
      checkpoints,
      close: async () => {
        await checkpoints.close()
        await state.close()
      },
    }
  }
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 2 })
  const keyPrefix = redisKeyPrefix ?? `junction:example:demand-forecast:${randomUUID()}:`
  const state = redisStore({ client, keyPrefix })
  const checkpoints = redisCheckpoints({ client, keyPrefix })
  return {
    kind: 'redis',
    state,
    checkpoints,
    close: async () => {
      try {
        await checkpoints.close()
        await state.close()
        for await (const keys of client.scanStream({ match: `${keyPrefix}*`, count: 500 })) {
          if ((keys as string[]).length > 0) await client.del(...(keys as string[]))
        }
      } finally {
        await client.quit()
      }
    },
  }
}
