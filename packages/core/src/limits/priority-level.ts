import type { RequestPriority } from '../pipeline/request.js'

const LEVELS = { interactive: 2, batch: 7 } as const

/**
 * The bottleneck priority (0 runs first, 9 last) of a request: `interactive` is 2 and `batch` 7, so
 * requests that name neither (5 by default) sit between; numbers are clamped to 0–9.
 */
export function priorityLevel(priority: RequestPriority | undefined, fallback: RequestPriority): number {
  const value = priority ?? fallback
  if (typeof value === 'string') return LEVELS[value]
  return Number.isFinite(value) ? Math.min(9, Math.max(0, Math.round(value))) : 5
}
