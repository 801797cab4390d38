import Bottleneck from 'bottleneck'
import { parseOptions } from '../config/parse-options.js'
import type { JunctionRequest } from '../pipeline/request.js'
import { abortedWhileQueued } from './abort-error.js'
import type { LimiterContext } from './limiter-context.js'
import { type LimitsOptions, limitsOptionsSchema, type ResolvedLimitsOptions } from './limits-options.js'
import { priorityLevel } from './priority-level.js'
import { QuotaGate } from './quota-gate.js'
import type { QuotaReport } from './quota-reader.js'
import { type SharedBudget, sharedBudget } from './shared-budget.js'

/** The request fields the limiter reads. */
export type LimitedRequest = Pick<JunctionRequest, 'priority' | 'signal' | 'operation'>

/** One connector's rate limiter: local limits, the server's quota, and an optional shared budget. */
export interface Limiter {
  /** Runs `call` when every limit allows it; emits `throttle` when it had to wait. */
  schedule<T>(request: LimitedRequest, call: () => Promise<T>): Promise<T>
  /** Feeds the quota a server reported on the response to a request sent at `sentAt` (`performance.now()`). */
  report(quota: QuotaReport, sentAt?: number): void
  /** Holds every call for `ms` (a 429's `Retry-After`). */
  pause(ms: number): void
  /** Whether the shared budget is currently replaced by the local fallback. */
  readonly degraded: boolean
  /** How many calls wait in the local queue (bottleneck's `QUEUED`). */
  queued(): number
  /** Stops the limiter: waiting calls are rejected and an owned Redis connection is closed. */
  close(): Promise<void>
}

const hasLocalLimit = (options: ResolvedLimitsOptions): boolean =>
  options.maxConcurrent !== undefined ||
  options.minTimeMs !== undefined ||
  options.perSecond !== undefined ||
  options.reservoir !== undefined

/**
 * bottleneck's local datastore yields with `setTimeout(0)` at each step of a job, and the steps are
 * serialized: Node clamps each to 1 ms, which caps a limiter near 400 calls/s and adds 2–3 ms to every
 * call (bottleneck #144; `pnpm bench:limiter`). Yielding with `setImmediate` keeps the yield and drops
 * the clamp (about 20 times faster). bottleneck 2.19.5 is the last release, so the hook cannot move.
 */
function yieldWithoutClamp(limiter: Bottleneck): Bottleneck {
  const store = (limiter as unknown as { _store?: { yieldLoop?: unknown } })._store
  if (store !== undefined && typeof store.yieldLoop === 'function') {
    store.yieldLoop = () => new Promise<void>((resolve) => setImmediate(resolve))
  }
  return limiter
}

function createBottleneck(options: ResolvedLimitsOptions): Bottleneck {
  const reservoir = options.reservoir
  const limiter = new Bottleneck({
    maxConcurrent: options.maxConcurrent ?? null,
    minTime: options.minTimeMs ?? (options.perSecond === undefined ? 0 : 1000 / options.perSecond),
    ...(reservoir === undefined
      ? {}
      : {
          reservoir: reservoir.amount,
          ...(reservoir.refreshIntervalMs === undefined
            ? {}
            : {
                reservoirRefreshInterval: reservoir.refreshIntervalMs,
                reservoirRefreshAmount: reservoir.refreshAmount ?? reservoir.amount,
              }),
        }),
  })
  return yieldWithoutClamp(limiter)
}

/**
 * Creates a connector's limiter. Calls pass, in order: bottleneck's local queue (`maxConcurrent`,
 * spacing, reservoir, priorities; skipped when none is set), the quota the server reported, and the
 * shared Redis budget. Invalid options throw a `ConfigError` naming the option.
 */
export function createLimiter(input: LimitsOptions, context: LimiterContext): Limiter {
  const options = parseOptions(limitsOptionsSchema, input, `${context.system} limits`)
  const local = hasLocalLimit(options) ? createBottleneck(options) : undefined
  const quota = new QuotaGate(options.quota)
  const shared: SharedBudget | undefined =
    options.shared === undefined ? undefined : sharedBudget(options.shared, context)

  const throttled = (request: LimitedRequest, priority: number, waitMs: number) => {
    if (waitMs < 1 || !context.events.has('throttle')) return
    context.events.emit('throttle', {
      system: context.system,
      connection: context.connection,
      operation: request.operation?.name,
      entity: request.operation?.entity,
      waitMs: Math.round(waitMs),
      priority,
    })
  }

  const release = <T>(value: T): T => {
    quota.finished()
    return value
  }
  const releaseAndThrow = (error: unknown): never => {
    quota.finished()
    throw error
  }

  /** Where a call waited in bottleneck's queue: its priority and when it joined. */
  type QueuePlace = { priority: number; queuedAt: number }
  const placeOf = (request: LimitedRequest): QueuePlace => ({
    priority: priorityLevel(request.priority, options.defaultPriority),
    queuedAt: performance.now(),
  })

  // `place` is set when the call waited in bottleneck's queue; without one nothing held it back yet.
  const gated = <T>(
    request: LimitedRequest,
    call: () => Promise<T>,
    place: QueuePlace | undefined,
  ): Promise<T> => {
    const signal = request.signal
    if (signal?.aborted) return Promise.reject(abortedWhileQueued(signal))
    // Nothing to wait for: start now, without an async frame (the common case, and every call's cost).
    if (shared === undefined && quota.tryStart()) {
      if (place !== undefined) throttled(request, place.priority, performance.now() - place.queuedAt)
      return started(call)
    }
    return admitted(request, call, place ?? placeOf(request))
  }

  // A call the quota gate has counted as started: it is counted as finished however it ends.
  const started = <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return call().then(release, releaseAndThrow)
    } catch (error) {
      quota.finished()
      return Promise.reject(error)
    }
  }

  const admitted = async <T>(
    request: LimitedRequest,
    call: () => Promise<T>,
    place: QueuePlace,
  ): Promise<T> => {
    const signal = request.signal
    await quota.admit(signal)
    try {
      if (shared !== undefined) await shared.take(place.priority, signal)
      throttled(request, place.priority, performance.now() - place.queuedAt)
      return await call()
    } finally {
      quota.finished()
    }
  }

  const queued = <T>(queue: Bottleneck, request: LimitedRequest, call: () => Promise<T>) => {
    const place = placeOf(request)
    const signal = request.signal
    const job = queue.schedule({ priority: place.priority }, () => gated(request, call, place))
    if (signal === undefined) return job
    // bottleneck cannot withdraw a queued job: reject the caller now; the job fails fast when it starts.
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(abortedWhileQueued(signal))
      signal.addEventListener('abort', onAbort, { once: true })
      job.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }

  return {
    schedule: (request, call) =>
      local === undefined ? gated(request, call, undefined) : queued(local, request, call),
    report: (report, sentAt) => quota.report(report, sentAt),
    pause: (ms) => quota.pause(ms),
    get degraded() {
      return shared?.degraded ?? false
    },
    queued: () => local?.counts().QUEUED ?? 0,
    async close() {
      await shared?.close()
      await local?.stop({ dropWaitingJobs: true })
    },
  }
}
