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
 * Every retry emits a `retry` event before its wait: `attempt` is the number of the attempt that failed
 * (1 for the first call), `delayMs` the wait, `reason` the failure's code.
 */
export function retryMiddleware(options: RetryOptions = {}, budget?: RetryBudget): Middleware {
  const settings = parseOptions(retryOptionsSchema, options, 'retry')
  const keyHeader = settings.idempotencyHeader.toLowerCase()

  return (next, context) =>
    async <T>(request: JunctionRequest): Promise<JunctionResponse<T>> => {
      if (settings.maxRetries === 0 || !maySendAgain(request, keyHeader)) {
        const response = await next<T>(request)
        budget?.recordSuccess()
        return response
      }
      const deadlineMs = request.timeoutMs ?? settings.deadlineMs
      const deadlineAt = deadlineMs === undefined ? undefined : performance.now() + deadlineMs
      let retryCost: number | undefined
      const attempt = () =>
        next<T>(
          deadlineAt === undefined
            ? request
            : { ...request, timeoutMs: Math.max(1, Math.ceil(deadlineAt - performance.now())) },
        )
      const shouldRetry = async (error: unknown, attemptNumber: number, retriesConsumed: number) => {
        if (!(error instanceof JunctionError) || !error.retryable) return false
        const delayMs = retryDelay(error, retriesConsumed, settings)
        if (deadlineAt !== undefined && performance.now() + delayMs >= deadlineAt) return false
        if (budget !== undefined) {
          const cost = budget.tryAcquire(error)
          if (cost === undefined) return false
          retryCost = cost
        }
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

      // The first attempt runs outside p-retry: most calls succeed, and p-retry's per-call setup was
      // the largest cost of the whole pipeline (bench:pipeline). p-retry takes over after a failure.
      let firstFailure: unknown
      try {
        const response = await attempt()
        budget?.recordSuccess()
        return response
      } catch (error) {
        firstFailure = error
      }
      if (!(await shouldRetry(firstFailure, 1, 0))) throw firstFailure
      const response = await pRetry(attempt, {
        retries: settings.maxRetries - 1,
        minTimeout: 0,
        shouldRetry: ({ error, attemptNumber, retriesConsumed }) =>
          shouldRetry(error, attemptNumber + 1, retriesConsumed + 1),
      })
      budget?.recordSuccess(retryCost)
      return response
    }
}

/** Whether sending `request` twice cannot do the work twice. */
function maySendAgain(request: JunctionRequest, keyHeader: string): boolean {
  if (isIdempotent(request) || request.headers[keyHeader] !== undefined) return true
  return Object.keys(request.headers).some((name) => name.toLowerCase() === keyHeader)
}
