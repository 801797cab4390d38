/** A cached value with the times that decide whether it is fresh, stale, or gone. */
export interface CacheEntry<T = unknown> {
  value: T
  /** Epoch ms when stored. */
  storedAt: number
  /** Epoch ms until which the entry is fresh. */
  freshUntil: number
  /** Epoch ms until which a stale entry may still be served (stale-while-revalidate / -if-error). */
  staleUntil: number
  /** Tags for invalidation, e.g. the record ids an entry contains. */
  tags?: readonly string[]
}

/** A driver for cached reads (memory, Redis); kept apart from `KeyValueStore` because it is bounded. */
export interface CacheStore {
  /** The entry under `key`, whether fresh or stale, or `undefined`. */
  get<T = unknown>(key: string): Promise<CacheEntry<T> | undefined>
  /** Stores an entry; it is dropped after `staleUntil`. */
  set<T = unknown>(key: string, entry: CacheEntry<T>): Promise<void>
  /** Removes one entry. */
  delete(key: string): Promise<boolean>
  /** Removes every entry carrying `tag`; returns how many. */
  invalidateTag(tag: string): Promise<number>
  /** Releases connections the driver opened itself. */
  close(): Promise<void>
}
