import { ValidationError } from '../errors/error-kinds.js'
import type { Checkpoint } from './checkpoint-store.js'

/** Throws a `ValidationError` unless `key` is a non-empty string. */
export function checkCheckpointKey(driver: string, operation: string, key: unknown): string {
  if (typeof key !== 'string' || key === '') {
    throw new ValidationError({
      message: `${driver} checkpoints ${operation}: key must be a non-empty string`,
      system: driver,
      operation,
    })
  }
  return key
}

/** A checkpoint checked field by field, so a bad one is refused before it replaces a good one. */
export function checkCheckpoint(driver: string, key: string, value: unknown): Checkpoint {
  const checkpoint = value as Partial<Checkpoint> | null
  const problem =
    typeof checkpoint !== 'object' || checkpoint === null
      ? 'is not an object'
      : typeof checkpoint.cursor !== 'string' || checkpoint.cursor === ''
        ? 'cursor must be a non-empty string'
        : !(checkpoint.savedAt instanceof Date) || Number.isNaN(checkpoint.savedAt.getTime())
          ? 'savedAt must be a valid Date'
          : !Number.isSafeInteger(checkpoint.records) || (checkpoint.records ?? -1) < 0
            ? 'records must be a non-negative integer'
            : undefined
  if (problem !== undefined) {
    throw new ValidationError({
      message: `${driver} checkpoint "${key}": ${problem}`,
      system: driver,
      details: [{ path: key, problem }],
    })
  }
  return {
    cursor: checkpoint?.cursor ?? '',
    savedAt: checkpoint?.savedAt ?? new Date(0),
    records: checkpoint?.records ?? 0,
  }
}
