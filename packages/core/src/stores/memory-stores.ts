import { type MemoryStoreOptions, memoryStore } from './memory-store.js'
import type { Stores } from './stores.js'

/** The embedded stores: everything in this process's memory, nothing to set up. */
export function memoryStores(options?: MemoryStoreOptions): Stores {
  const state = memoryStore(options)
  return { state, close: () => state.close() }
}
