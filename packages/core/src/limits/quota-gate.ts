import { RateLimitError } from '../errors/error-kinds.js'
import { abortedWhileQueued } from './abort-error.js'
import type { QuotaPolicyOptions } from './limits-options.js'
import type { QuotaReport } from './quota-reader.js'
import { waitFor } from './wait-for.js'

interface Known {
  used: number
  limit: number
  remaining: number
  resetAt: number | undefined
}

/**
 * Holds calls back according to the quota the server last reported. The policy:
 * - never start a call the server's `remaining` does not cover: calls in flight when the report was
 *   made and calls started since are subtracted from it (a call in flight may be counted twice, never
 *   missed); with nothing left, wait for the reset (up to `maxWaitMs`) or fail with `RATE_LIMITED`;
 * - below `tightenBelow` of the limit remaining, spread what is left evenly over the time to the reset
 *   (or `windowMs` when the server gives no reset time);
 * - after a reset, let one call through to learn the new quota before spending more;
 * - a 429 pauses every call until its `Retry-After`.
 * Calls pass the gate one at a time, so spacing applies in arrival order.
 */
export class QuotaGate {
  readonly #policy: QuotaPolicyOptions
  #known: Known | undefined
  #pendingAtReport = 0
  #startedSinceReport = 0
  #inFlight = 0
  #reportSentAt = Number.NEGATIVE_INFINITY
  #waiting = 0
  #lastStart = 0
  #pausedUntil = 0
  #queue: Promise<void> = Promise.resolve()
  #changed: Array<() => void> = []

  constructor(policy: QuotaPolicyOptions) {
    this.#policy = policy
  }

  /** Whether no report was ever received (the gate then lets every call through at once). */
  get idle(): boolean {
    return this.#known === undefined && this.#pausedUntil === 0
  }

  /** How many calls the gate believes may still start (undefined before any report). */
  get remaining(): number | undefined {
    return this.#known === undefined ? undefined : this.#left()
  }

  /**
   * Records what the server reported on the response to a request sent at `sentAt`
   * (`performance.now()`). A report that overtook a fresher one (sent earlier, counting less used in
   * the same window) is ignored; usage that really fell (a rolling window) is taken.
   */
  report(quota: QuotaReport, sentAt: number = performance.now()): void {
    const resetAt = quota.resetAt?.getTime()
    const known = this.#known
    const sameWindow = known !== undefined && known.resetAt === resetAt
    if (sameWindow && quota.used < known.used && sentAt < this.#reportSentAt) return
    this.#reportSentAt = sentAt
    this.#known = {
      used: quota.used,
      limit: quota.limit,
      remaining: Math.max(0, quota.remaining ?? quota.limit - quota.used),
      resetAt,
    }
    // The call carrying this report is itself still in flight: it is counted in `used`.
    this.#pendingAtReport = Math.max(0, this.#inFlight - 1)
    this.#startedSinceReport = 0
    this.#notify()
  }

  /** Stops every call until `ms` from now (a 429's `Retry-After`). */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + ms)
  }

  /** Counts a call as started when nothing can hold it back (no report yet, no pause, no one waiting). */
  tryStart(): boolean {
    if (!this.idle || this.#waiting !== 0) return false
    this.#started()
    return true
  }

  /** Waits until the quota allows one more call, then counts it as started. */
  admit(signal?: AbortSignal): Promise<void> {
    if (this.tryStart()) return Promise.resolve()
    this.#waiting += 1
    const turn = this.#queue.then(() => this.#admit(signal))
    this.#queue = turn
      .catch(() => undefined)
      .finally(() => {
        this.#waiting -= 1
      })
    return turn
  }

  /** Marks a started call as finished (with or without a report). */
  finished(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1)
    this.#pendingAtReport = Math.min(this.#pendingAtReport, this.#inFlight)
    this.#notify()
  }

  async #admit(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      const now = Date.now()
      if (this.#pausedUntil > now) {
        await this.#waitOrFail(this.#pausedUntil - now, new Date(this.#pausedUntil), signal)
        continue
      }
      const known = this.#known
      if (known === undefined) break
      if (known.resetAt !== undefined && now >= known.resetAt) {
        // A new window: one call learns the new quota before the rest spend it.
        this.#known = { ...known, used: 0, remaining: 1, resetAt: undefined }
        this.#pendingAtReport = 0
        this.#startedSinceReport = 0
        continue
      }
      const left = this.#left()
      if (left <= 0) {
        if (this.#inFlight > 0) {
          // A call in flight may bring a fresher report, or finish: look again then.
          await this.#nextChange(signal)
          continue
        }
        const resetAt = known.resetAt === undefined ? undefined : new Date(known.resetAt)
        if (resetAt === undefined) throw exhausted(undefined)
        await this.#waitOrFail(resetAt.getTime() - now, resetAt, signal)
        continue
      }
      const spacing = this.#spacing(known, left, now)
      const startAt = this.#lastStart + spacing
      if (startAt > now) {
        if (startAt - now > this.#policy.maxWaitMs) throw exhausted(undefined, startAt - now)
        await waitFor(startAt - now, signal)
        continue
      }
      break
    }
    this.#started()
  }

  #started(): void {
    this.#lastStart = Date.now()
    this.#startedSinceReport += 1
    this.#inFlight += 1
  }

  #left(): number {
    const known = this.#known
    return known === undefined
      ? Number.POSITIVE_INFINITY
      : known.remaining - this.#pendingAtReport - this.#startedSinceReport
  }

  #spacing(known: Known, left: number, now: number): number {
    if (known.limit <= 0 || left / known.limit >= this.#policy.tightenBelow) return 0
    const horizon = known.resetAt === undefined ? this.#policy.windowMs : known.resetAt - now
    return horizon === undefined ? 0 : Math.max(0, horizon / left)
  }

  async #waitOrFail(ms: number, resetAt: Date, signal: AbortSignal | undefined): Promise<void> {
    if (ms > this.#policy.maxWaitMs) throw exhausted(resetAt, ms)
    await waitFor(ms, signal)
  }

  #nextChange(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(abortedWhileQueued(signal))
      this.#changed.push(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      })
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  #notify(): void {
    for (const wake of this.#changed.splice(0)) wake()
  }
}

function exhausted(resetAt: Date | undefined, retryAfterMs?: number): RateLimitError {
  return new RateLimitError({
    code: 'RATE_LIMITED',
    message:
      resetAt === undefined
        ? 'the quota the system reported allows no call within the longest wait'
        : `the quota the system reported is spent until ${resetAt.toISOString()}`,
    ...(resetAt === undefined ? {} : { resetAt }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
}
