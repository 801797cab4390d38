import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import type { JunctionError } from '../errors/junction-error.js'

/**
 * The token bucket of the AWS SDK v3 standard retry mode. Values from `@aws-sdk/middleware-retry`
 * (`constants.ts`: INITIAL_RETRY_TOKENS 500, RETRY_COST 5, TIMEOUT_RETRY_COST 10, NO_RETRY_INCREMENT 1)
 * and `@smithy/util-retry`'s StandardRetryStrategy, which charges the higher cost for transient
 * (timeout and connection) failures and on success refunds the cost of the retry that succeeded, or 1.
 */
export const retryBudgetOptionsSchema = z.strictObject({
  /** Tokens in a full bucket, and the bucket's starting level. */
  capacity: z.number().int().positive().default(500),
  /** Tokens a retry costs. */
  retryCost: z.number().int().positive().default(5),
  /** Tokens a retry after a timeout or a failed connection costs. */
  timeoutRetryCost: z.number().int().positive().default(10),
  /** Tokens a success that needed no retry puts back. */
  successRefund: z.number().int().nonnegative().default(1),
})

/** Options for {@link RetryBudget}. */
export type RetryBudgetOptions = z.input<typeof retryBudgetOptionsSchema>

// The failures smithy classes as TRANSIENT: the system may not have seen the request at all, and
// another try costs a whole timeout again.
const TRANSIENT_CODES: ReadonlySet<string> = new Set(['TIMEOUT', 'CONNECTION_FAILED', 'CONNECTION_RESET'])

/**
 * A connector's shared allowance for retries. Each retry takes tokens, each success gives a few back;
 * when the system keeps failing the bucket empties and calls fail on their first error instead of
 * multiplying the load on a system that is already down. One per connector, shared by its calls.
 */
export class RetryBudget {
  readonly #options: z.output<typeof retryBudgetOptionsSchema>
  #available: number

  constructor(options: RetryBudgetOptions = {}) {
    this.#options = parseOptions(retryBudgetOptionsSchema, options, 'retry budget')
    this.#available = this.#options.capacity
  }

  /** Tokens left. */
  get available(): number {
    return this.#available
  }

  /** What retrying after `error` costs. */
  costOf(error: JunctionError): number {
    return TRANSIENT_CODES.has(error.code) ? this.#options.timeoutRetryCost : this.#options.retryCost
  }

  /** Takes the cost of retrying after `error`; returns it, or `undefined` (taking nothing) when too few are left. */
  tryAcquire(error: JunctionError): number | undefined {
    const cost = this.costOf(error)
    if (cost > this.#available) return undefined
    this.#available -= cost
    return cost
  }

  /** Refunds after a success: `retryCost` when a retry (that cost it) succeeded, else `successRefund`. */
  recordSuccess(retryCost?: number): void {
    this.#available = Math.min(
      this.#options.capacity,
      this.#available + (retryCost ?? this.#options.successRefund),
    )
  }
}
