import { RateLimitError } from '../errors/error-kinds.js'
import type { JunctionError } from '../errors/junction-error.js'
import { backoffDelay, isThrottle, serverWaitMs } from './backoff-delay.js'
import type { ResolvedRetryOptions } from './retry-options.js'

/** The options the wait is computed from. */
export type RetryDelaySettings = Pick<
  ResolvedRetryOptions,
  'baseMs' | 'throttleBaseMs' | 'capMs' | 'maxWaitMs'
>

/**
 * The wait before retry number `retry` (from 0): full jitter on the base that fits the failure (the
 * longer throttle base after a 429), and never less than the server asked for (as smithy's
 * StandardRetryStrategy takes the larger of the two). Throws when the server asks for longer than
 * `maxWaitMs`, for the caller to come back at `resetAt` rather than hold a connection slot asleep.
 */
export function retryDelay(
  error: JunctionError,
  retry: number,
  settings: RetryDelaySettings,
  random: () => number = Math.random,
): number {
  const waitMs = serverWaitMs(error)
  if (waitMs !== undefined && waitMs > settings.maxWaitMs)
    throw waitTooLong(error, waitMs, settings.maxWaitMs)
  const base = isThrottle(error) ? settings.throttleBaseMs : settings.baseMs
  return Math.max(waitMs ?? 0, backoffDelay(retry, base, settings.capMs, random))
}

/**
 * The error to fail fast with when the server asks for a longer wait than we will sleep: a
 * `RateLimitError` carrying when to come back for a throttle, the failure itself (with `resetAt`) for
 * anything else, such as a 503 announcing hours of maintenance.
 */
function waitTooLong(error: JunctionError, waitMs: number, maxWaitMs: number): JunctionError {
  const resetAt = error.resetAt ?? new Date(Date.now() + waitMs)
  if (!isThrottle(error)) return Object.assign(error, { resetAt })
  return new RateLimitError({
    message: `${error.message}: the system asks to wait ${Math.ceil(waitMs / 1000)} s, longer than maxWaitMs (${maxWaitMs} ms)`,
    system: error.system,
    operation: error.operation,
    entity: error.entity,
    method: error.method,
    path: error.path,
    status: error.status,
    systemCode: error.systemCode,
    snippet: error.snippet,
    details: error.details,
    retryAfterMs: waitMs,
    resetAt,
    cause: error,
  })
}
