import type { KeyValueStore } from '../stores/key-value-store.js'
import type { SyncSink } from './sync-sink.js'

/**
 * A sink that keeps the latest value of each key in a `KeyValueStore` (memory or Redis) and removes
 * deleted keys: idempotent by construction, so a replayed batch changes nothing.
 */
export function keyValueSink<T>(store: KeyValueStore): SyncSink<T> {
  return {
    async write(changes) {
      for (const change of changes) {
        if (change.kind === 'delete') await store.delete(change.key)
        else await store.set(change.key, change.value)
      }
    },
  }
}
