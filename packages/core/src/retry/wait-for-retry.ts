import { setTimeout as sleep } from 'node:timers/promises'
import { TimeoutError } from '../errors/error-kinds.js'
import type { JunctionError } from '../errors/junction-error.js'

/**
 * Sleeps `delayMs` before the next attempt. The request's signal ends the sleep at once: a timeout
 * signal (an operation deadline) with `DEADLINE_EXCEEDED`, any other abort with `ABORTED`, each with
 * the failure that caused the wait as `cause`.
 */
export async function waitForRetry(
  delayMs: number,
  signal: AbortSignal | undefined,
  failure: JunctionError,
): Promise<void> {
  if (signal === undefined) {
    await sleep(delayMs)
    return
  }
  try {
    await sleep(delayMs, undefined, { signal })
  } catch (error) {
    if (!signal.aborted) throw error
    throw cancelledWait(delayMs, signal.reason, failure)
  }
}

function cancelledWait(delayMs: number, reason: unknown, failure: JunctionError): TimeoutError {
  const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError'
  const call = `${failure.method ?? 'the'} ${failure.path ?? 'call'}`
  const waiting = `while waiting ${delayMs} ms to retry after ${failure.code}`
  return new TimeoutError({
    code: timedOut ? 'DEADLINE_EXCEEDED' : 'ABORTED',
    message: timedOut
      ? `${call} ran out of the caller's time budget ${waiting}`
      : `${call} was aborted by the caller ${waiting}`,
    system: failure.system,
    operation: failure.operation,
    entity: failure.entity,
    method: failure.method,
    path: failure.path,
    cause: failure,
  })
}
