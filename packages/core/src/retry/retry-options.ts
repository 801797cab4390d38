import { z } from 'zod'

/**
 * How the retry middleware retries. The defaults follow the AWS SDK v3 standard mode (base 100 ms,
 * cap 20 s) with a longer base for throttling, and replace p-retry's own (10 retries, no jitter, no
 * cap), which can keep a caller waiting for about 17 minutes in lockstep with every other caller.
 */
export const retryOptionsSchema = z.strictObject({
  /**
   * Retries after the first attempt. Three: a blip (a failover, a restarted pod, a full queue) clears
   * within a few backed-off seconds, and every layer that retries multiplies the load on a system that
   * is already failing, so more belongs to the caller, who knows whether the work can wait.
   */
  maxRetries: z.number().int().min(0).max(10).default(3),
  /** Backoff base: retry n waits a random time up to `min(baseMs × 2^n, capMs)` (full jitter). */
  baseMs: z.number().int().positive().default(100),
  /** Backoff base after a throttling error (`RATE_LIMITED`, 429), when the server gave no wait. */
  throttleBaseMs: z.number().int().positive().default(1_000),
  /** Longest backoff between two attempts. */
  capMs: z.number().int().positive().default(20_000),
  /**
   * Longest wait a server may ask for (`Retry-After`, a reset header). Past it the call fails at once
   * with an error carrying `resetAt` and `retryAfterMs`, for the caller to reschedule.
   */
  maxWaitMs: z.number().int().nonnegative().default(30_000),
  /**
   * Overall deadline of one call, attempts and waits together, when the request sets no `timeoutMs`.
   * Each attempt is sent with what remains of it as its `timeoutMs`.
   */
  deadlineMs: z.number().int().positive().optional(),
  /** The header whose presence makes a POST, PATCH or MERGE safe to send again. */
  idempotencyHeader: z.string().min(1).default('idempotency-key'),
})

/** Options for `retryMiddleware`, as a caller writes them (every field has a default). */
export type RetryOptions = z.input<typeof retryOptionsSchema>

/** Retry options with their defaults applied. */
export type ResolvedRetryOptions = z.output<typeof retryOptionsSchema>
