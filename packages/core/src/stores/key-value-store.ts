/** Options for a write: entries expire after `ttlMs` (a positive number of milliseconds) when given. */
export interface StoreWriteOptions {
  ttlMs?: number
}

/**
 * Shared state behind one small interface (as unstorage does): the cache, identity links, limiter
 * counters and connector cursors all sit on it. Values are JSON plus `Date`, and round-trip exactly;
 * a value that could not (a `Map`, a function, `NaN`, a cycle...), an empty key or a bad `ttlMs` is a
 * `ValidationError`. Values go in and come out as copies. Once closed, every call rejects with a
 * `JunctionError` coded `STORE_CLOSED`.
 */
export interface KeyValueStore {
  /** The value under `key`, or `undefined` (also once its ttl has passed). */
  get<T = unknown>(key: string): Promise<T | undefined>
  /** Values for many keys at once, in order (one round trip where the driver can). */
  getMany<T = unknown>(keys: readonly string[]): Promise<Array<T | undefined>>
  /** Stores `value` under `key`; without `ttlMs` the entry never expires, even if it had a ttl before. */
  set(key: string, value: unknown, options?: StoreWriteOptions): Promise<void>
  /** Stores `value` only if `key` is absent; returns whether it did (a lock or a claim). Atomic. */
  setIfAbsent(key: string, value: unknown, options?: StoreWriteOptions): Promise<boolean>
  /** Removes `key`; returns whether it was there. */
  delete(key: string): Promise<boolean>
  /**
   * Adds the integer `by` (default 1) to an integer counter (created at 0) and returns the new value,
   * atomically across every process sharing the store. With `ttlMs` the counter's expiry is reset;
   * without it an existing expiry is kept. A non-integer value under `key` is a `ValidationError`.
   */
  increment(key: string, by?: number, options?: StoreWriteOptions): Promise<number>
  /**
   * A view whose keys are prefixed with `prefix:` so tenants and connections never collide. It shares
   * the store's connection and lifetime: closing the store closes it, but its own `close()` leaves the
   * store open, so a component handed a view cannot shut the others down.
   */
  namespace(prefix: string): KeyValueStore
  /** Releases connections the driver opened itself (never a client the caller passed in). Idempotent. */
  close(): Promise<void>
}
