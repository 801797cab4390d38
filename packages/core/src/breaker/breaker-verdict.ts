import { JunctionError } from '../errors/junction-error.js'

/**
 * What a failed call says about the system's health:
 * - `failure`: the system is unhealthy (counts towards opening the breaker);
 * - `answer`: the system answered, so it is up (counts as a success: a 404 proves the server works);
 * - `neutral`: the call says nothing about the system (the caller aborted, its deadline ran out, the
 *   rate limiter refused, a bug in our own code), so it is not counted.
 */
export type BreakerVerdict = 'failure' | 'answer' | 'neutral'

/**
 * The default failure test: a retryable `JunctionError` other than throttling. That covers 5xx
 * (`SERVER_ERROR`, `SERVICE_UNAVAILABLE`), connect, reset and TLS failures, `TIMEOUT` (connect,
 * headers, body) and undecodable bodies. A 429 is not a failure: the system is up and protecting its
 * quota, which retry and the rate limiter deal with. `DEADLINE_EXCEEDED` and `ABORTED` are not either:
 * they measure the caller's budget (including time queued in the limiter), not the system.
 */
export function isSystemFailure(error: unknown): boolean {
  return error instanceof JunctionError && error.retryable && error.code !== 'RATE_LIMITED'
}

/** Classifies a failed call with `isFailure` (the default {@link isSystemFailure} or the user's). */
export function breakerVerdict(error: unknown, isFailure: (error: unknown) => boolean): BreakerVerdict {
  if (isFailure(error)) return 'failure'
  if (error instanceof JunctionError && error.status !== undefined && error.code !== 'RATE_LIMITED') {
    return 'answer'
  }
  return 'neutral'
}
