import type { Redis } from 'ioredis'
import { z } from 'zod'
import { isRedisClient } from '../stores/redis-connection.js'

/** A request priority: `interactive`, `batch`, or a bottleneck priority from 0 (first) to 9 (last). */
export const requestPrioritySchema = z.union([
  z.enum(['interactive', 'batch']),
  z.number().int().min(0).max(9),
])

/** A budget that a fleet of processes shares through one Redis counter. */
export const sharedBudgetOptionsSchema = z.strictObject({
  /** An ioredis client to share (never quit by Junction) or a `redis://` URL to connect to. */
  redis: z.union([
    z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' }),
    z.custom<Redis>(isRedisClient, 'expected an ioredis client'),
  ]),
  /** Names the budget: every process using the same key shares it (e.g. the Salesforce org id). */
  key: z.string().min(1),
  /** Calls allowed per window, all processes together. */
  budget: z.number().int().positive(),
  /** Window length in milliseconds; windows are aligned to the Redis server's clock. */
  windowMs: z.number().int().positive(),
  /**
   * Calls per window this process allows itself while Redis is unreachable (default: `budget`).
   * With N processes, `budget / N` keeps the fleet inside the quota during an outage.
   */
  fallbackBudget: z.number().int().positive().optional(),
  /** How long a Redis call may take before the limiter falls back to the local limit (default 500 ms). */
  commandTimeoutMs: z.number().int().positive().default(500),
  /** Prepended to the key (default `junction:limits:`). */
  keyPrefix: z.string().default('junction:limits:'),
})

/** How the limiter follows the quota a server reports (see `quotaMiddleware`). */
export const quotaPolicyOptionsSchema = z.strictObject({
  /** Below this share of the limit remaining, calls are spread over the time to reset (default 0.2). */
  tightenBelow: z.number().min(0).max(1).default(0.2),
  /** The horizon to spread over when the server gives no reset time (e.g. 24 h for a rolling daily quota). */
  windowMs: z.number().int().positive().optional(),
  /** The longest a call waits for the quota to reset before failing with `RATE_LIMITED` (default 60 s). */
  maxWaitMs: z.number().int().nonnegative().default(60_000),
})

/** Options of a connector's rate limiter. */
export const limitsOptionsSchema = z
  .strictObject({
    /** Calls in flight at once, in this process. */
    maxConcurrent: z.number().int().positive().optional(),
    /** Minimum spacing between call starts, in this process. */
    minTimeMs: z.number().nonnegative().optional(),
    /** A steady rate per second, in this process (the same as `minTimeMs: 1000 / perSecond`). */
    perSecond: z.number().positive().optional(),
    /** A local allowance (e.g. a daily quota): calls wait when it is spent, until it is refreshed. */
    reservoir: z
      .strictObject({
        amount: z.number().int().nonnegative(),
        refreshIntervalMs: z.number().int().positive().optional(),
        /** Refilled to this amount each interval (default `amount`). */
        refreshAmount: z.number().int().positive().optional(),
      })
      .optional(),
    /** The priority of a request that names none (default 5, between `interactive` and `batch`). */
    defaultPriority: requestPrioritySchema.default(5),
    quota: quotaPolicyOptionsSchema.default({ tightenBelow: 0.2, maxWaitMs: 60_000 }),
    shared: sharedBudgetOptionsSchema.optional(),
  })
  .refine((options) => options.minTimeMs === undefined || options.perSecond === undefined, {
    message: 'give minTimeMs or perSecond, not both',
    path: ['perSecond'],
  })

/** Rate-limit options as a caller writes them. */
export type LimitsOptions = z.input<typeof limitsOptionsSchema>
/** Rate-limit options after defaults. */
export type ResolvedLimitsOptions = z.output<typeof limitsOptionsSchema>
/** Shared budget options after defaults. */
export type SharedBudgetOptions = z.output<typeof sharedBudgetOptionsSchema>
/** Quota policy options after defaults. */
export type QuotaPolicyOptions = z.output<typeof quotaPolicyOptionsSchema>
