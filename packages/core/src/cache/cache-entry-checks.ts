import { ValidationError } from '../errors/error-kinds.js'
import type { CacheEntry } from './cache-store.js'

const invalid = (driver: string, operation: string, problem: string): ValidationError =>
  new ValidationError({ message: `${driver} cache ${operation}: ${problem}`, system: driver, operation })

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

/** Throws a `ValidationError` unless `name` (a key or a tag) is a non-empty string. */
export function checkCacheName(driver: string, operation: string, name: unknown, what = 'key'): string {
  if (typeof name !== 'string' || name === '') {
    throw invalid(driver, operation, `${what} must be a non-empty string`)
  }
  return name
}

/** Throws a `ValidationError` unless the entry's times and tags make sense; returns its tags. */
export function checkCacheEntry(driver: string, entry: CacheEntry): readonly string[] {
  if (typeof entry !== 'object' || entry === null) throw invalid(driver, 'set', 'entry must be an object')
  const { storedAt, freshUntil, staleUntil, tags = [] } = entry
  if (!isTime(storedAt) || !isTime(freshUntil) || !isTime(staleUntil)) {
    throw invalid(driver, 'set', 'storedAt, freshUntil and staleUntil must be finite epoch milliseconds')
  }
  if (freshUntil > staleUntil) throw invalid(driver, 'set', 'freshUntil must not be after staleUntil')
  if (!Array.isArray(tags)) throw invalid(driver, 'set', 'tags must be an array of strings')
  for (const tag of tags) checkCacheName(driver, 'set', tag, 'tag')
  return tags
}
