import { randomUUID } from 'node:crypto'
import {
  type CheckpointStore,
  type KeyValueStore,
  type MessageBus,
  memoryBus,
  memoryCheckpoints,
  memoryStore,
  redisBus,
  redisCheckpoints,
  redisStore,
} from '@junction/core'
import { Redis } from 'ioredis'

/** The shared state of a run: the bus, the sync's checkpoints, and the store the decision ledger lives in. */
export interface TriageBackends {
  kind: 'memory' | 'redis'
  bus: MessageBus
  checkpoints: CheckpointStore
  store: KeyValueStore
  /** Closes everything; on Redis, also deletes the run's keys. */
  close(): Promise<void>
}

/**
 * Embedded defaults (memory bus, checkpoints and ledger) or, with a Redis URL, the Redis Streams bus
 * and Redis checkpoints and ledger over one shared connection. Each run gets a key prefix of its own:
 * the simulated instance is new on every run, so an older run's cursor would point into another one.
 */
export function triageBackends(redisUrl: string | undefined): TriageBackends {
  if (redisUrl === undefined) {
    const bus = memoryBus()
    const checkpoints = memoryCheckpoints()
    const store = memoryStore()
    return {
      kind: 'memory',
      bus,
      checkpoints,
      store,
      close: async () => {
        await bus.close()
        await checkpoints.close()
        await store.close()
      },
    }
  }
  const client = new Redis(redisUrl)
  const keyPrefix = `junction:incident-triage:${randomUUID().slice(0, 8)}:`
  const bus = redisBus({ client, keyPrefix })
  const checkpoints = redisCheckpoints({ client, keyPrefix })
  const store = redisStore({ client, keyPrefix })
  return {
    kind: 'redis',
    bus,
    checkpoints,
    store,
    close: async () => {
      try {
        await bus.close()
        await checkpoints.close()
        await store.close()
        for await (const keys of client.scanStream({ match: `${keyPrefix}*`, count: 500 })) {
          if ((keys as string[]).length > 0) await client.del(...(keys as string[]))
        }
      } finally {
        await client.quit()
      }
    },
  }
}
