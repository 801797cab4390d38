import { TimeoutError } from '../errors/error-kinds.js'

/** The error for a call whose caller aborted it while it waited for the rate limiter. */
export function abortedWhileQueued(signal: AbortSignal | undefined): TimeoutError {
  return new TimeoutError({
    code: 'ABORTED',
    message: 'the call was aborted while it waited for the rate limiter',
    cause: signal?.reason,
  })
}
