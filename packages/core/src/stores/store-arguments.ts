import { ValidationError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import type { StoreWriteOptions } from './key-value-store.js'

const invalid = (driver: string, operation: string, problem: string): ValidationError =>
  new ValidationError({ message: `${driver} store ${operation}: ${problem}`, system: driver, operation })

/** Throws a `ValidationError` unless `key` is a non-empty string. */
export function checkKey(driver: string, operation: string, key: unknown): string {
  if (typeof key !== 'string' || key === '')
    throw invalid(driver, operation, 'key must be a non-empty string')
  return key
}

/** The ttl in whole milliseconds (rounded up), or `undefined`; a bad ttl is a `ValidationError`. */
export function checkTtl(
  driver: string,
  operation: string,
  options: StoreWriteOptions | undefined,
): number | undefined {
  const ttlMs = options?.ttlMs
  if (ttlMs === undefined) return undefined
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw invalid(driver, operation, 'ttlMs must be a positive number of milliseconds')
  }
  return Math.ceil(ttlMs)
}

/** Throws a `ValidationError` unless `by` is a safe integer. */
export function checkIncrement(driver: string, by: unknown): number {
  if (typeof by !== 'number' || !Number.isSafeInteger(by))
    throw invalid(driver, 'increment', 'by must be a safe integer')
  return by
}

/** The error for a counter that cannot be incremented: it holds a non-integer, or would overflow. */
export function badCounter(driver: string, key: string, problem: string): ValidationError {
  return invalid(driver, 'increment', `the value under key "${key}" ${problem}`)
}

/** The error every call on a closed store gives. */
export function storeClosed(driver: string, operation: string): JunctionError {
  return new JunctionError({
    code: 'STORE_CLOSED',
    message: `${driver} store ${operation}: the store is closed`,
    system: driver,
    operation,
  })
}
