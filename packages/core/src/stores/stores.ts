import type { KeyValueStore } from './key-value-store.js'

/** The shared state a hub or connector uses; one driver family (memory or Redis) for all of it. */
export interface Stores {
  /** General state: cursors, limiter counters, locks, identity links. */
  readonly state: KeyValueStore
  /** Closes every connection the stores opened. */
  close(): Promise<void>
}
