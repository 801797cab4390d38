import { type KeyValueStore, keyValueSink, type SyncSink } from '@junction/core'

/** A sync sink that can also hand back everything it holds (a small warehouse table). */
export interface HistorySink<T> extends SyncSink<T> {
  /** Every value held, in key order. */
  all(): Promise<T[]>
}

const INDEX = 'index'

/**
 * core's `keyValueSink` under `records:<key>`, plus an index of the keys, since a `KeyValueStore` cannot
 * list its keys. The values are written before the index: a crash in between leaves values the index
 * does not name yet, and the replayed batch (its checkpoint was not saved) adds them.
 */
export function historySink<T>(store: KeyValueStore): HistorySink<T> {
  const records = store.namespace('records')
  const values = keyValueSink<T>(records)
  return {
    async write(changes, context) {
      await values.write(changes, context)
      const keys = new Set((await store.get<string[]>(INDEX)) ?? [])
      for (const change of changes) {
        if (change.kind === 'delete') keys.delete(change.key)
        else keys.add(change.key)
      }
      await store.set(
        INDEX,
        [...keys].sort((a, b) => a.localeCompare(b)),
      )
    },
    async all() {
      const keys = (await store.get<string[]>(INDEX)) ?? []
      const found = await records.getMany<T>(keys)
      return found.filter((value): value is Awaited<T> => value !== undefined) as T[]
    },
  }
}
