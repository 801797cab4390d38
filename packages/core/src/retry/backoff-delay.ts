import type { JunctionError } from '../errors/junction-error.js'

/**
 * Full jitter (the AWS Architecture Blog's "Exponential Backoff and Jitter"): a uniformly random wait
 * in `[0, min(baseMs × 2^retry, capMs)]`, where `retry` counts from 0. Randomness spreads callers that
 * failed together, so they do not come back together.
 */
export function backoffDelay(
  retry: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** retry))
}

/** Whether the system refused the call for load (a 429 or `RATE_LIMITED`), not for a fault. */
export function isThrottle(error: JunctionError): boolean {
  return error.code === 'RATE_LIMITED' || error.status === 429
}

/** How long the system asked to wait: its `Retry-After`, or else the time to its reset; `undefined` when it did not say. */
export function serverWaitMs(error: JunctionError, now: number = Date.now()): number | undefined {
  if (error.retryAfterMs !== undefined) return error.retryAfterMs
  return error.resetAt === undefined ? undefined : Math.max(0, error.resetAt.getTime() - now)
}
