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

/**
 * A driver for cached reads (memory, Redis); kept apart from `KeyValueStore` because it is bounded and
 * evicts. Values are JSON plus `Date` and round-trip exactly, as copies; a value that could not, an empty
 * key or tag, or an entry whose times are not numbers with `freshUntil <= staleUntil` is a
 * `ValidationError`. An entry is gone once `staleUntil` passes. Once closed, every call rejects with a
 * `JunctionError` coded `STORE_CLOSED`. `cacheContract` in `@junction/core/testing` checks a driver.
 */
export interface CacheStore {
  /** The entry under `key`, whether fresh or stale, or `undefined`. */
  get<T = unknown>(key: string): Promise<CacheEntry<T> | undefined>
  /** Stores an entry, replacing any under `key` (and its tags); it is dropped after `staleUntil`. */
  set<T = unknown>(key: string, entry: CacheEntry<T>): Promise<void>
  /** Removes one entry; returns whether it was there. */
  delete(key: string): Promise<boolean>
  /** Removes every entry carrying `tag`; returns how many. */
  invalidateTag(tag: string): Promise<number>
  /** Releases connections the driver opened itself (never a client the caller passed in). Idempotent. */
  close(): Promise<void>
}
