import { z } from 'zod'
import { hasMethods } from '../config/has-methods.js'
import { parseOptions } from '../config/parse-options.js'
import { ConfigError, TimeoutError, ValidationError } from '../errors/error-kinds.js'
import { isJunctionError } from '../errors/junction-error.js'
import type { Middleware, PipelineContext } from '../pipeline/middleware-stack.js'
import type { CacheDirective, Handler, JunctionRequest, JunctionResponse } from '../pipeline/request.js'
import { waitUnlessAborted } from '../pipeline/wait-unless-aborted.js'
import type { KeyValueStore } from '../stores/key-value-store.js'
import { fromStoredJson, toStoredJson } from '../stores/stored-value.js'
import { cacheNamespace, requestCacheKey } from './cache-keys.js'
import type { CacheEntry, CacheStore } from './cache-store.js'

const milliseconds = z.number().int().nonnegative()

/** Options of the `cache` middleware (and of a connector's `cache` option, without `tenant`). */
export const cacheOptionsSchema = z.object({
  /** Where entries live: `memoryCache()` or `redisCache()`. */
  store: z.custom<CacheStore>(
    hasMethods('get', 'set', 'delete', 'invalidateTag', 'close'),
    'expected a CacheStore',
  ),
  /** Default freshness of a cached response (default 60 s). */
  ttlMs: z.number().int().positive().default(60_000),
  /** Default stale-while-revalidate window after freshness (default 0: off). */
  staleMs: milliseconds.default(0),
  /** Default stale-if-error window after freshness (default 0: off). */
  staleIfErrorMs: milliseconds.default(0),
  /**
   * Coalesce misses across processes too: the first process takes a short lock in `store` (e.g. the
   * Redis state store) and fetches; the others poll the cache for its answer, up to `waitMs`.
   */
  crossProcess: z
    .object({
      store: z.custom<KeyValueStore>(hasMethods('setIfAbsent', 'get', 'delete'), 'expected a KeyValueStore'),
      lockTtlMs: z.number().int().positive().default(10_000),
      waitMs: z.number().int().positive().default(5_000),
      pollIntervalMs: z.number().int().positive().default(20),
    })
    .optional(),
})

/** Options for `cacheMiddleware`; `tenant` (default `default`) and the connection namespace every key. */
export type CacheOptions = z.input<typeof cacheOptionsSchema> & { tenant?: string | undefined }

type Config = z.output<typeof cacheOptionsSchema> & { tenant: string }

/** The part of a response the cache keeps. */
type StoredResponse = JunctionResponse<unknown>

type Result = 'fresh' | 'stale' | 'miss'

/** One read's answer, shared by every caller that coalesced onto it. */
interface Outcome {
  result: Result
  response: StoredResponse
  /** The first caller takes `response` itself; the others get copies, so none sees another's edits. */
  taken: boolean
}

interface Policy {
  ttlMs: number
  staleMs: number
  staleIfErrorMs: number
  tags: readonly string[]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const isRetryable = (error: unknown): boolean => isJunctionError(error) && error.retryable

const directiveError = (request: JunctionRequest, problem: string): ValidationError =>
  new ValidationError({ message: `cache directive: ${problem}`, operation: request.operation?.name })

const checkTime = (request: JunctionRequest, name: string, value: unknown, fallback: number, min: number) => {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw directiveError(request, `${name} must be a number of milliseconds >= ${min}`)
  }
  return value
}

function policyFor(request: JunctionRequest, directive: CacheDirective, config: Config): Policy {
  if (request.responseType === 'stream') throw directiveError(request, 'a streamed response cannot be cached')
  if (directive.key !== undefined && (typeof directive.key !== 'string' || directive.key === '')) {
    throw directiveError(request, 'key must be a non-empty string')
  }
  const tags = directive.tags ?? []
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string' || tag === '')) {
    throw directiveError(request, 'tags must be non-empty strings')
  }
  return {
    ttlMs: checkTime(request, 'ttlMs', directive.ttlMs, config.ttlMs, 1),
    staleMs: checkTime(request, 'staleMs', directive.staleMs, config.staleMs, 0),
    staleIfErrorMs: checkTime(request, 'staleIfErrorMs', directive.staleIfErrorMs, config.staleIfErrorMs, 0),
    tags,
  }
}

// A shared read runs without any one caller's signal; each caller stops waiting on its own instead.
const abortable = <T>(promise: Promise<T>, request: JunctionRequest): Promise<T> => {
  const signal = request.signal
  if (signal === undefined) return promise
  const aborted = (): TimeoutError => {
    const timedOut = signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError'
    return new TimeoutError({
      code: timedOut ? 'DEADLINE_EXCEEDED' : 'ABORTED',
      message: timedOut
        ? 'the cached read ran out of the caller’s time budget'
        : 'the cached read was aborted',
      operation: request.operation?.name,
    })
  }
  return waitUnlessAborted(promise, signal, aborted)
}

const take = (outcome: Outcome): StoredResponse => {
  if (!outcome.taken) {
    outcome.taken = true
    return outcome.response
  }
  try {
    return fromStoredJson(toStoredJson(outcome.response, 'response')) as StoredResponse
  } catch {
    // A body the cache cannot copy (e.g. a Buffer) was not cached either: callers share it.
    return outcome.response
  }
}

/**
 * The read-through cache, outermost in the stack (`cache`). Only requests carrying a `cache` directive
 * are cached, under a key namespaced by tenant and connection. A fresh entry is served as is; a stale one
 * within `staleMs` is served while one background refresh runs; within `staleIfErrorMs` it stands in when
 * the refresh fails with a retryable error (a non-retryable failure drops it). Concurrent identical reads
 * share one lookup and one upstream call (and, with `crossProcess`, one per fleet). Only 2xx responses are
 * stored. A cache store that fails is logged and treated as a miss, never failing the read. Emits `cache`
 * events (`fresh`, `stale`, `miss`).
 */
export function cacheMiddleware(options: CacheOptions): Middleware {
  const { tenant = 'default', ...rest } = options
  if (typeof tenant !== 'string' || tenant === '') {
    throw new ConfigError({
      message: 'invalid cache options: tenant: expected a non-empty string',
      option: 'tenant',
    })
  }
  const config: Config = { ...parseOptions(cacheOptionsSchema, rest, 'cache'), tenant }
  const store = config.store
  // Per middleware instance, not per stack resolution: the stack is resolved for every request.
  const reads = new Map<string, Promise<Outcome>>()
  const refreshing = new Set<string>()

  return (next: Handler, context: PipelineContext): Handler => {
    const warn = (problem: string, key: string, error: unknown) =>
      context.logger.warn(
        { system: context.system, connection: context.connection, key, error: context.redactor.error(error) },
        problem,
      )
    const safely = async <T>(
      problem: string,
      key: string,
      action: () => Promise<T>,
    ): Promise<T | undefined> => {
      try {
        return await action()
      } catch (error) {
        warn(problem, key, error)
        return undefined
      }
    }

    const upstream = async (
      storeKey: string,
      request: JunctionRequest,
      policy: Policy,
      namespace: string,
    ) => {
      const { cache: _directive, signal: _signal, ...forward } = request
      const response = await next<unknown>(forward)
      if (response.status >= 200 && response.status < 300) {
        const now = Date.now()
        const freshUntil = now + policy.ttlMs
        const entry: CacheEntry<StoredResponse> = {
          value: {
            status: response.status,
            headers: response.headers,
            body: response.body,
            url: response.url,
          },
          storedAt: now,
          freshUntil,
          staleUntil: freshUntil + Math.max(policy.staleMs, policy.staleIfErrorMs),
          tags: policy.tags.map((tag) => `${namespace}:${tag}`),
        }
        await safely('cache write failed', storeKey, () => store.set(storeKey, entry))
      }
      return response
    }

    // The fleet-wide single flight: one process holds a short lock and fetches, the rest poll the cache.
    const fetch = async (storeKey: string, request: JunctionRequest, policy: Policy, namespace: string) => {
      const fleet = config.crossProcess
      if (fleet === undefined) return upstream(storeKey, request, policy, namespace)
      const lockKey = `cache-lock:${storeKey}`
      const locked = await safely('cache lock failed', storeKey, () =>
        fleet.store.setIfAbsent(lockKey, Date.now(), { ttlMs: fleet.lockTtlMs }),
      )
      if (locked === false) {
        const waitUntil = Date.now() + fleet.waitMs
        const fresh = async () => {
          const entry = await safely('cache read failed', storeKey, () => store.get<StoredResponse>(storeKey))
          return entry !== undefined && entry.freshUntil > Date.now() ? entry : undefined
        }
        while (Date.now() < waitUntil) {
          await sleep(fleet.pollIntervalMs)
          const entry = await fresh()
          if (entry !== undefined) return entry.value
          const held = await safely('cache lock failed', storeKey, () => fleet.store.get(lockKey))
          if (held !== undefined) continue
          // The holder writes the cache before it releases the lock, so the answer may have landed
          // between the two reads above; only a lock gone with no answer means the holder failed.
          const landed = await fresh()
          if (landed !== undefined) return landed.value
          break
        }
        return upstream(storeKey, request, policy, namespace)
      }
      try {
        return await upstream(storeKey, request, policy, namespace)
      } finally {
        if (locked) await safely('cache unlock failed', storeKey, () => fleet.store.delete(lockKey))
      }
    }

    const refreshInBackground = (
      storeKey: string,
      request: JunctionRequest,
      policy: Policy,
      namespace: string,
    ) => {
      if (refreshing.has(storeKey)) return
      refreshing.add(storeKey)
      fetch(storeKey, request, policy, namespace)
        .catch(async (error: unknown) => {
          warn('cache refresh failed', storeKey, error)
          if (!isRetryable(error)) await safely('cache delete failed', storeKey, () => store.delete(storeKey))
        })
        .finally(() => refreshing.delete(storeKey))
    }

    const lookup = async (
      storeKey: string,
      request: JunctionRequest,
      policy: Policy,
      namespace: string,
    ): Promise<Outcome> => {
      const entry = await safely('cache read failed', storeKey, () => store.get<StoredResponse>(storeKey))
      const now = Date.now()
      if (entry !== undefined && now < entry.freshUntil) {
        return { result: 'fresh', response: entry.value, taken: false }
      }
      if (entry !== undefined && now < entry.freshUntil + policy.staleMs) {
        refreshInBackground(storeKey, request, policy, namespace)
        return { result: 'stale', response: entry.value, taken: false }
      }
      try {
        return { result: 'miss', response: await fetch(storeKey, request, policy, namespace), taken: false }
      } catch (error) {
        if (entry === undefined) throw error
        if (isRetryable(error) && now < entry.freshUntil + policy.staleIfErrorMs) {
          warn('cache refresh failed; serving stale', storeKey, error)
          return { result: 'stale', response: entry.value, taken: false }
        }
        await safely('cache delete failed', storeKey, () => store.delete(storeKey))
        throw error
      }
    }

    return async <T>(request: JunctionRequest): Promise<JunctionResponse<T>> => {
      const directive = request.cache
      if (directive === undefined) return next<T>(request)
      const policy = policyFor(request, directive, config)
      const key = directive.key ?? requestCacheKey(request)
      const namespace = cacheNamespace(config.tenant, context.connection)
      const storeKey = `${namespace}:${key}`

      let read = reads.get(storeKey)
      if (read === undefined) {
        const started = lookup(storeKey, request, policy, namespace)
        read = started
        reads.set(storeKey, started)
        const settle = () => {
          if (reads.get(storeKey) === started) reads.delete(storeKey)
        }
        started.then(settle, settle)
      }
      const outcome = await abortable(read, request)
      context.events.emit('cache', {
        system: context.system,
        connection: context.connection,
        operation: request.operation?.name,
        entity: request.operation?.entity,
        key,
        result: outcome.result,
      })
      return take(outcome) as JunctionResponse<T>
    }
  }
}
