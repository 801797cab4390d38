import { z } from 'zod'
import type { JunctionRequest } from '../pipeline/request.js'

const isFunction = (value: unknown): boolean => typeof value === 'function'

/** How long an open breaker waits before letting one probe through: exponential, reset on closing. */
export const halfOpenAfterSchema = z.strictObject({
  /** The wait after the breaker first opens. */
  initialDelayMs: z.number().int().positive().default(5_000),
  /** The longest wait, however many probes have failed. */
  maxDelayMs: z.number().int().positive().default(120_000),
  /** Each failed probe multiplies the wait by this. */
  exponent: z.number().min(1).default(2),
})

const common = {
  /** When an open breaker lets a probe through (exponential backoff; no jitter: one probe per key). */
  halfOpenAfter: halfOpenAfterSchema.prefault({}),
  /**
   * Which breaker a request belongs to; one per connection when omitted. See `endpointKey()` for
   * a breaker per endpoint.
   */
  key: z.custom<(request: JunctionRequest) => string>(isFunction, 'expected a function').optional(),
  /** Which errors mean the system is unhealthy; `isSystemFailure` when omitted. */
  isFailure: z.custom<(error: unknown) => boolean>(isFunction, 'expected a function').optional(),
  /** Most breakers kept (least recently used ones are dropped, closed or not). */
  maxKeys: z.number().int().positive().default(1_000),
}

/**
 * Circuit breaker options. `consecutive` opens after `threshold` failures in a row; `ratio` opens
 * when more than `threshold` (0–1) of the calls in the last `windowMs` failed, once at least
 * `minimumRequests` calls were seen in that window.
 */
export const breakerOptionsSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('consecutive').default('consecutive'),
    threshold: z.number().int().positive().default(5),
    ...common,
  }),
  z.strictObject({
    mode: z.literal('ratio'),
    threshold: z.number().gt(0).lt(1).default(0.5),
    windowMs: z.number().int().min(1_000).default(30_000),
    minimumRequests: z.number().int().positive().default(20),
    ...common,
  }),
])

/** Circuit breaker options as a caller writes them. */
export type BreakerOptions = z.input<typeof breakerOptionsSchema>

/** Circuit breaker options with defaults applied. */
export type ResolvedBreakerOptions = z.output<typeof breakerOptionsSchema>
