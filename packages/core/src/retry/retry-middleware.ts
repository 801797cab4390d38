import pRetry from 'p-retry'
import { parseOptions } from '../config/parse-options.js'
import { JunctionError } from '../errors/junction-error.js'
import type { Middleware } from '../pipeline/middleware-stack.js'
import { isIdempotent, type JunctionRequest, type JunctionResponse } from '../pipeline/request.js'
import type { RetryBudget } from './retry-budget.js'
import { retryDelay } from './retry-delay.js'
import { type RetryOptions, retryOptionsSchema } from './retry-options.js'
import { waitForRetry } from './wait-for-retry.js'

/**
 * Retries transient failures (`error.retryable`) with p-retry as the loop. p-retry's own waits are
 * switched off (`minTimeout: 0`): the wait is taken in its `shouldRetry` hook, where it can be full
 * jitter, honour the server's `Retry-After` or reset time, fail fast past `maxWaitMs`, stop short of the
 * deadline, pay the shared `budget`, and end at once when the request's signal aborts.
 *
 * A POST, PATCH or MERGE is retried only with an idempotency key header or `idempotent: true` from the
 * adapter (an upsert by external id is safe to repeat); a lost response must not become a second write.
 * The exception is a failure that proves the system did not act: a 429 (RFC 6585: refused for the
 * rate) or a connection that was never made. Such a write is retried like a read, as long as every
 * failure is of that kind.
 * Every retry emits a `retry` event before its wait: `attempt` is the number of the attempt that failed
 * (1 for the first call), `delayMs` the wait, `reason` the failure's code. The response, or the final
 * error, carries the number of retries made (`retries`), which `observe` reports.
 */
export function retryMiddleware(options: RetryOptions = {}, budget?: RetryBudget): Middleware {
  const settings = parseOptions(retryOptionsSchema, options, 'retry')
  const keyHeader = settings.idempotencyHeader.toLowerCase()
  const succeeded = <R>(response: R): R => {
    budget?.recordSuccess()
    return response
  }

  return (next, context) => {
    const withinDeadline = (request: JunctionRequest, deadlineAt: number | undefined): JunctionRequest =>
      deadlineAt === undefined
        ? request
        : { ...request, timeoutMs: Math.max(1, Math.ceil(deadlineAt - performance.now())) }

    // After a first failure: p-retry runs the remaining attempts, with the wait taken in `shouldRetry`.
    const retryAfter = async <T>(
      request: JunctionRequest,
      repeatable: boolean,
      deadlineAt: number | undefined,
      firstFailure: unknown,
    ): Promise<JunctionResponse<T>> => {
      let retryCost: number | undefined
      let retries = 0
      const shouldRetry = async (error: unknown, attemptNumber: number, retriesConsumed: number) => {
        if (!(error instanceof JunctionError) || !error.retryable) return false
        if (!repeatable && !wasNotProcessed(error)) return false
        const delayMs = retryDelay(error, retriesConsumed, settings)
        if (deadlineAt !== undefined && performance.now() + delayMs >= deadlineAt) return false
        if (budget !== undefined) {
          const cost = budget.tryAcquire(error)
          if (cost === undefined) return false
          retryCost = cost
        }
        retries += 1
        context.events.emit('retry', {
          system: context.system,
          connection: context.connection,
          operation: request.operation?.name,
          entity: request.operation?.entity,
          attempt: attemptNumber,
          delayMs,
          reason: error.code,
        })
        await waitForRetry(delayMs, request.signal, error)
        return true
      }
      if (!(await shouldRetry(firstFailure, 1, 0))) throw firstFailure
      try {
        const response = await pRetry(() => next<T>(withinDeadline(request, deadlineAt)), {
          retries: settings.maxRetries - 1,
          minTimeout: 0,
          shouldRetry: ({ error, attemptNumber, retriesConsumed }) =>
            shouldRetry(error, attemptNumber + 1, retriesConsumed + 1),
        })
        budget?.recordSuccess(retryCost)
        return { ...response, retries }
      } catch (error) {
        // Like the response, the final error says how many retries came before it.
        if (error instanceof JunctionError) Object.assign(error, { retries })
        throw error
      }
    }

    // The first attempt runs outside p-retry and outside any `async` frame: most calls succeed, and
    // p-retry's per-call setup was the largest cost of the whole pipeline (bench:pipeline).
    return <T>(request: JunctionRequest): Promise<JunctionResponse<T>> => {
      if (settings.maxRetries === 0) {
        return budget === undefined ? next<T>(request) : next<T>(request).then(succeeded)
      }
      const repeatable = maySendAgain(request, keyHeader)
      const deadlineMs = request.timeoutMs ?? settings.deadlineMs
      const deadlineAt = deadlineMs === undefined ? undefined : performance.now() + deadlineMs
      return next<T>(withinDeadline(request, deadlineAt)).then(
        budget === undefined ? undefined : succeeded,
        (error: unknown) => retryAfter<T>(request, repeatable, deadlineAt, error),
      )
    }
  }
}

/** Whether sending `request` twice cannot do the work twice. */
function maySendAgain(request: JunctionRequest, keyHeader: string): boolean {
  if (isIdempotent(request) || request.headers[keyHeader] !== undefined) return true
  return Object.keys(request.headers).some((name) => name.toLowerCase() === keyHeader)
}

/** Whether a failure proves the system never acted on the request, so that even a write may be sent again. */
function wasNotProcessed(error: JunctionError): boolean {
  return error.status === 429 || error.code === 'CONNECTION_FAILED'
}
