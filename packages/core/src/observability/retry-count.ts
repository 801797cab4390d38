import type { OperationInfo } from '../pipeline/request.js'

/** A running count of retries. */
export interface RetryTally {
  retries: number
}

const operationTallies = new WeakMap<OperationInfo, RetryTally>()

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
