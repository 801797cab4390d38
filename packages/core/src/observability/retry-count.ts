import { AsyncLocalStorage } from 'node:async_hooks'
import type { OperationInfo } from '../pipeline/request.js'
import type { JunctionEvents } from './junction-events.js'

/** The retries seen while one request travels below the observe middleware. */
export interface RetryTally {
  retries: number
}

// `retry` events do not say which request they belong to (many run at once on one connector); the
// listener runs synchronously inside the retry middleware, so the async context tells it.
const tallies = new AsyncLocalStorage<RetryTally>()
const counted = new WeakSet<JunctionEvents>()
const operationTallies = new WeakMap<OperationInfo, RetryTally>()

/** Makes sure `retry` events on `events` are counted into the current request's tally (once per emitter). */
export function countRetriesOn(events: JunctionEvents): void {
  if (counted.has(events)) return
  counted.add(events)
  events.on('retry', () => {
    const tally = tallies.getStore()
    if (tally !== undefined) tally.retries++
  })
}

/** Runs one request with a fresh tally that `retry` events emitted beneath it increment. */
export function withRetryTally<T>(tally: RetryTally, run: () => Promise<T>): Promise<T> {
  return tallies.run(tally, run)
}

/** Counts retries for an operation (its `OperationInfo` object identifies it); every caller shares one tally. */
export function trackOperationRetries(operation: OperationInfo): RetryTally {
  const existing = operationTallies.get(operation)
  if (existing !== undefined) return existing
  const tally = { retries: 0 }
  operationTallies.set(operation, tally)
  return tally
}

/** Adds a finished request's retries to its operation's tally, when the operation is tracked. */
export function addOperationRetries(operation: OperationInfo | undefined, retries: number): void {
  if (operation === undefined || retries === 0) return
  const tally = operationTallies.get(operation)
  if (tally !== undefined) tally.retries += retries
}
