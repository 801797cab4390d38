import { Dispatcher } from 'undici'
import { z } from 'zod'
import { createAuditEvent } from '../audit/audit-event.js'
import type { AuditSink } from '../audit/audit-sink.js'
import { authConfigSchema, createAuthProvider } from '../auth/auth-config.js'
import { authMiddleware } from '../auth/auth-middleware.js'
import type { AuthProvider } from '../auth/auth-provider.js'
import { breakerOptionsSchema } from '../breaker/breaker-options.js'
import { circuitBreakerMiddleware } from '../breaker/circuit-breaker-middleware.js'
import { cacheNamespace, recordTag } from '../cache/cache-keys.js'
import { cacheMiddleware, cacheOptionsSchema } from '../cache/cache-middleware.js'
import { invalidateRecords } from '../cache/invalidate-records.js'
import { hasMethods } from '../config/has-methods.js'
import { parseOptions } from '../config/parse-options.js'
import { ValidationError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import { createLimiter } from '../limits/limiter.js'
import { limitsOptionsSchema } from '../limits/limits-options.js'
import { quotaMiddleware } from '../limits/quota-middleware.js'
import type { QuotaReader } from '../limits/quota-reader.js'
import { rateLimitMiddleware } from '../limits/rate-limit-middleware.js'
import { type Logger, silentLogger } from '../logging/logger.js'
import { JunctionEvents } from '../observability/junction-events.js'
import type { MetricsRecorder } from '../observability/metrics-recorder.js'
import { observeMiddleware } from '../observability/observe-middleware.js'
import { trackOperationRetries } from '../observability/retry-count.js'
import { createTelemetry, type OperationSpan, telemetryOptionsSchema } from '../observability/telemetry.js'
import { type ErrorMapper, httpErrors } from '../pipeline/http-errors.js'
import { MiddlewareStack } from '../pipeline/middleware-stack.js'
import type { CacheDirective, JunctionRequest, JunctionResponse, OperationInfo } from '../pipeline/request.js'
import { Redactor } from '../redaction/redactor.js'
import { RetryBudget } from '../retry/retry-budget.js'
import { retryMiddleware } from '../retry/retry-middleware.js'
import { retryOptionsSchema } from '../retry/retry-options.js'
import { memoryStores } from '../stores/memory-stores.js'
import type { Stores } from '../stores/stores.js'
import { createTransport, transportOptionsSchema } from '../transport/transport.js'
import type {
  BatchOperation,
  BatchOptions,
  BatchResult,
  Capability,
  Change,
  ChangesOptions,
  Connector,
  EntityRecord,
  OperationOptions,
  Query,
  RecordId,
  RecordUpdate,
  UpsertOptions,
  WriteOptions,
  WriteResult,
} from './connector.js'
import { CAPABILITIES } from './connector.js'
import type { ConnectorContext, ConnectorRequest } from './connector-context.js'

const isAuthProvider = (value: unknown): value is AuthProvider =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AuthProvider).authorize === 'function' &&
  typeof (value as AuthProvider).secrets === 'function'

/** Options every connector accepts, whatever its system. */
export const connectorOptionsSchema = z.object({
  /** The connection's name, e.g. `crm`; namespaces its state and labels its audit events. */
  name: z.string().min(1).optional(),
  /** The system's base URL; adapters may derive it instead (e.g. from a token response). */
  baseUrl: z.url().optional(),
  /** Tenant whose data this connection reads; namespaces cache and state. */
  tenant: z.string().min(1).optional(),
  /** The service account recorded as the actor of audit events. */
  actor: z.string().min(1).optional(),
  auth: z.union([authConfigSchema, z.custom<AuthProvider>(isAuthProvider)]).optional(),
  transport: transportOptionsSchema.optional(),
  /** An undici dispatcher to send through instead of the transport's own pool (e.g. a simulator's). */
  dispatcher: z.custom<Dispatcher>((value) => value instanceof Dispatcher).optional(),
  audit: z.custom<AuditSink>(hasMethods('write', 'flush', 'close')).optional(),
  stores: z
    .custom<Stores>((value) => typeof value === 'object' && value !== null && 'state' in value)
    .optional(),
  logger: z.custom<Logger>(hasMethods('debug', 'info', 'warn', 'error')).optional(),
  /** The circuit breaker (on by default, one per connector); `false` turns it off. */
  breaker: breakerOptionsSchema.or(z.literal(false)).optional(),
  /** A metrics recorder that observes this connector's events (`createMetrics()`). */
  metrics: z.custom<MetricsRecorder>(hasMethods('observe', 'snapshot')).optional(),
  /** OpenTelemetry tracer and meter: one span per operation, request metrics. */
  telemetry: telemetryOptionsSchema.optional(),
  /** Rate limits: concurrency, spacing, a daily reservoir, priorities, a budget shared through Redis. */
  limits: limitsOptionsSchema.optional(),
  /** Retries of transient failures (on by default); `false` turns them off. */
  retry: retryOptionsSchema.or(z.literal(false)).optional(),
  /** Read-through cache for the reads the adapter marks cacheable; `false` turns it off. */
  cache: cacheOptionsSchema.or(z.literal(false)).optional(),
})

type CoreShape = typeof connectorOptionsSchema.shape
type CoreOptions = z.output<typeof connectorOptionsSchema>
type MergedShape<Shape extends z.ZodRawShape> = Omit<CoreShape, keyof Shape> & Shape

/** A connector's parsed options: the core ones, overridden and extended by the adapter's. */
export type ResolvedOptions<Shape extends z.ZodRawShape> = z.output<z.ZodObject<MergedShape<Shape>>>

type Implementation<Options, State> = {
  get?(ctx: ConnectorContext<Options, State>, entity: string, id: RecordId): Promise<EntityRecord | undefined>
  query?(ctx: ConnectorContext<Options, State>, entity: string, query: Query): AsyncIterable<EntityRecord>
  create?(
    ctx: ConnectorContext<Options, State>,
    entity: string,
    records: readonly EntityRecord[],
    options: WriteOptions,
  ): Promise<WriteResult[]>
  update?(
    ctx: ConnectorContext<Options, State>,
    entity: string,
    updates: readonly RecordUpdate[],
    options: WriteOptions,
  ): Promise<WriteResult[]>
  upsert?(
    ctx: ConnectorContext<Options, State>,
    entity: string,
    records: readonly EntityRecord[],
    options: UpsertOptions,
  ): Promise<WriteResult[]>
  delete?(
    ctx: ConnectorContext<Options, State>,
    entity: string,
    ids: readonly RecordId[],
    options: WriteOptions,
  ): Promise<WriteResult[]>
  batch?(
    ctx: ConnectorContext<Options, State>,
    operations: readonly BatchOperation[],
    options: BatchOptions,
  ): Promise<BatchResult[]>
  changes?(
    ctx: ConnectorContext<Options, State>,
    entity: string,
    options: ChangesOptions,
  ): AsyncIterable<Change>
}

/** Tools an adapter's extra methods use to run through the same operation wrapper as the portable ones. */
export interface OperationRunner<Options, State> {
  /** Runs `body` as one audited operation with a context of its own. */
  run<T>(
    operation: OperationInfo,
    options: OperationOptions | undefined,
    body: (ctx: ConnectorContext<Options, State>) => Promise<T>,
  ): Promise<T>
  /** Runs an async iterable as one audited operation (the event is written when iteration ends). */
  iterate<T>(
    operation: OperationInfo,
    options: OperationOptions | undefined,
    body: (ctx: ConnectorContext<Options, State>) => AsyncIterable<T>,
  ): AsyncIterable<T>
}

/** What an adapter declares: its system, options, error mapping, middleware and operations. */
export interface ConnectorSpec<Shape extends z.ZodRawShape, State, Extra extends object>
  extends Implementation<ResolvedOptions<Shape>, State> {
  /** The system kind, e.g. `salesforce`. */
  system: string
  /** Adapter options, added to the core ones. */
  options?: Shape
  /** Turns the system's error bodies into typed errors. */
  mapError?: ErrorMapper
  /** Response headers that say when a throttled window resets (default `x-ratelimit-reset` and kin). */
  resetHeaders?: readonly string[]
  /** Reads the quota the system reports on each response (e.g. `Sforce-Limit-Info`) into the limiter. */
  quota?: QuotaReader
  /** Adds the adapter's own middleware (e.g. CSRF) to the stack core assembled. */
  middleware?(stack: MiddlewareStack, options: ResolvedOptions<Shape>): void
  /** Creates per-connection state. */
  setup?(options: ResolvedOptions<Shape>, auth: AuthProvider | undefined): State
  /** The base URL for relative paths; by default the `baseUrl` option. */
  baseUrl?(ctx: ConnectorContext<ResolvedOptions<Shape>, State>): Promise<string> | string
  /** Adapter-specific methods added to the connector (e.g. `describe`). */
  extend?(runner: OperationRunner<ResolvedOptions<Shape>, State>): Extra
  /** Releases per-connection state. */
  close?(state: State): Promise<void>
}

/** The options a connector factory accepts. */
export type ConnectorOptions<Shape extends z.ZodRawShape = Record<never, never>> = z.input<
  z.ZodObject<MergedShape<Shape>>
>

/**
 * Declares a connector: returns a factory that validates options, assembles the pipeline
 * (auth → errors → transport, plus the adapter's middleware) and wraps each operation so that
 * every call is checked, audited and scrubbed of secrets.
 */
export function defineConnector<
  Shape extends z.ZodRawShape = Record<never, never>,
  State = undefined,
  Extra extends object = Record<never, never>,
>(spec: ConnectorSpec<Shape, State, Extra>): (options?: ConnectorOptions<Shape>) => Connector & Extra {
  const schema = connectorOptionsSchema.extend(spec.options ?? ({} as Shape))
  const capabilities: ReadonlySet<Capability> = new Set(
    CAPABILITIES.filter((name) => spec[name] !== undefined),
  )

  return (input = {} as ConnectorOptions<Shape>) => {
    type Options = ResolvedOptions<Shape>
    const options = parseOptions(schema, input, spec.system) as Options
    // The runtime reads only core options; adapters extend them but do not redefine them.
    const core = options as unknown as CoreOptions
    const name = core.name ?? spec.system
    const logger = core.logger ?? silentLogger
    const auth = resolveAuth(core.auth)
    const redactor = new Redactor(() => auth?.secrets() ?? [])
    const events = new JunctionEvents((error, event) =>
      logger.error(
        { system: spec.system, connection: name, event, error: redactor.error(error) },
        'event listener threw',
      ),
    )
    const transport = createTransport({ ...core.transport, dispatcher: core.dispatcher })
    const ownStores = core.stores === undefined
    const stores = core.stores ?? memoryStores()
    const store = stores.state.namespace(`${core.tenant ?? 'default'}:${name}`)
    const stack = new MiddlewareStack()
    const cache = core.cache === false ? undefined : core.cache
    const tenant = core.tenant ?? 'default'
    const telemetry = core.telemetry ? createTelemetry(core.telemetry) : undefined
    telemetry?.observe(events)
    core.metrics?.observe(events)
    if (cache) stack.add('cache', cacheMiddleware({ ...cache, tenant }))
    stack.add('observe', observeMiddleware())
    // One budget per connector: every request of this connection draws its retries from it.
    if (core.retry !== false) stack.add('retry', retryMiddleware(core.retry ?? {}, new RetryBudget()))
    if (core.breaker !== false) stack.add('circuit-breaker', circuitBreakerMiddleware(core.breaker ?? {}))
    const limiter =
      core.limits !== undefined || spec.quota !== undefined
        ? createLimiter(core.limits ?? {}, { system: spec.system, connection: name, events, logger })
        : undefined
    if (limiter) stack.add('rate-limit', rateLimitMiddleware(limiter))
    if (auth) stack.add('auth', authMiddleware(auth))
    stack.add('errors', httpErrors(spec.mapError, { resetHeaders: spec.resetHeaders }))
    // Under `errors`, so it also sees the 429s that carry the quota.
    if (limiter && spec.quota) stack.add('quota', quotaMiddleware(spec.quota, limiter))
    spec.middleware?.(stack, options)
    const state = spec.setup?.(options, auth) as State
    const pipelineContext = { system: spec.system, connection: name, logger, redactor, events }

    const scrub = (error: unknown): unknown => {
      if (error instanceof JunctionError && error.system === undefined) {
        Object.assign(error, { system: spec.system })
      }
      return redactor.error(error)
    }

    const contextFor = (
      operation: OperationInfo,
      signal: AbortSignal | undefined,
      cache: CacheDirective | undefined,
    ): ConnectorContext<Options, State> => {
      const ctx: ConnectorContext<Options, State> = {
        system: spec.system,
        name,
        options,
        state,
        operation,
        signal,
        logger,
        redactor,
        events,
        store,
        async request<T>(request: ConnectorRequest): Promise<JunctionResponse<T>> {
          const { path, url, headers, method, ...rest } = request
          const base = url === undefined ? await (spec.baseUrl?.(ctx) ?? core.baseUrl) : undefined
          if (url === undefined && base === undefined) {
            throw new ValidationError({
              message: `${spec.system}: a request needs a url, or a path and the baseUrl option`,
              system: spec.system,
            })
          }
          const full: JunctionRequest = {
            ...(cache !== undefined && (method ?? 'GET') === 'GET' ? { cache } : {}),
            ...rest,
            method: method ?? 'GET',
            url: url ?? joinUrl(base as string, path ?? ''),
            headers: { accept: 'application/json', ...headers },
            operation,
            signal: anySignal(signal, request.signal),
          }
          try {
            return await stack.resolve(transport.send, pipelineContext)<T>(full)
          } catch (error) {
            throw scrub(error)
          }
        },
      }
      return ctx
    }

    const summarize = (results: readonly WriteResult[]): OperationSummary => {
      const failed = results.filter((result) => !result.ok).length
      return {
        outcome:
          failed === 0
            ? ('success' as const)
            : failed === results.length
              ? ('failure' as const)
              : ('partial' as const),
        recordIds: results.flatMap((result) => (result.id === undefined ? [] : [result.id])),
        recordCount: results.length,
        errorCode: results.find((result) => !result.ok)?.error.code,
      }
    }

    const audit = core.audit
    // The operation has already happened on the system when this runs: an audit sink that fails must
    // not turn a completed write into an exception that hides its results. The failure is logged.
    const record = async (
      operation: OperationInfo,
      callOptions: OperationOptions | undefined,
      started: number,
      fields: OperationSummary,
      span: OperationSpan | undefined,
    ): Promise<void> => {
      span?.end(fields)
      if (!audit) return
      const { retries } = trackOperationRetries(operation)
      const event = createAuditEvent({
        kind: 'operation',
        actor: callOptions?.actor
          ? { type: 'user', id: callOptions.actor }
          : { type: 'service', id: core.actor ?? name },
        tenant: core.tenant,
        system: spec.system,
        connection: name,
        operation: operation.name,
        entity: operation.entity,
        latencyMs: performance.now() - started,
        retries,
        correlationId: callOptions?.correlationId,
        ...fields,
      })
      try {
        await audit.write(event)
      } catch (error) {
        const failure = scrub(error)
        logger.error(
          {
            system: spec.system,
            connection: name,
            operation: operation.name,
            auditEventId: event.id,
            error: failure,
          },
          'audit sink refused an operation event',
        )
      }
    }

    // A write makes cached reads of the records it touched stale: drop them (tags `Entity:id`).
    // Like audit, a failing cache must not hide a completed write; it is logged.
    const invalidate = async (written: ReadonlyArray<{ entity: string; id: RecordId }>): Promise<void> => {
      if (!cache || written.length === 0) return
      const namespace = cacheNamespace(tenant, name)
      const byEntity = new Map<string, RecordId[]>()
      for (const { entity, id } of written) byEntity.set(entity, [...(byEntity.get(entity) ?? []), id])
      for (const [entity, ids] of byEntity) {
        try {
          await invalidateRecords(cache.store, namespace, entity, ids)
        } catch (error) {
          logger.error(
            { system: spec.system, connection: name, entity, error: scrub(error) },
            'cache invalidation failed',
          )
        }
      }
    }
    const writing =
      (entity: string, idOf: (result: WriteResult & { ok: true }) => RecordId | undefined) =>
      async (results: WriteResult[]): Promise<WriteResult[]> => {
        await invalidate(
          results.flatMap((result) => {
            const id = result.ok ? idOf(result) : undefined
            return id === undefined ? [] : [{ entity, id }]
          }),
        )
        return results
      }

    const runner: OperationRunner<Options, State> = {
      async run(operation, callOptions, body) {
        const started = performance.now()
        trackOperationRetries(operation)
        // The span keys its retry count on this operation object, which every request carries.
        const span = telemetry?.startOperationSpan({ system: spec.system, connection: name, operation })
        const signal = deadlineSignal(callOptions)
        try {
          const result = await body(contextFor(operation, signal, callOptions?.cache))
          await record(
            operation,
            callOptions,
            started,
            Array.isArray(result) && result.every(isWriteResult) ? summarize(result) : { outcome: 'success' },
            span,
          )
          return result
        } catch (error) {
          const scrubbed = scrub(error)
          await record(
            operation,
            callOptions,
            started,
            {
              outcome: 'failure',
              errorCode: scrubbed instanceof JunctionError ? scrubbed.code : 'UNEXPECTED',
            },
            span,
          )
          throw scrubbed
        }
      },
      async *iterate(operation, callOptions, body) {
        const started = performance.now()
        trackOperationRetries(operation)
        const span = telemetry?.startOperationSpan({ system: spec.system, connection: name, operation })
        const signal = deadlineSignal(callOptions)
        let count = 0
        let failure: unknown
        try {
          for await (const item of body(contextFor(operation, signal, callOptions?.cache))) {
            count++
            yield item
          }
        } catch (error) {
          failure = scrub(error)
          throw failure
        } finally {
          const errorCode =
            failure === undefined ? undefined : failure instanceof JunctionError ? failure.code : 'UNEXPECTED'
          await record(
            operation,
            callOptions,
            started,
            { outcome: failure === undefined ? 'success' : 'failure', recordCount: count, errorCode },
            span,
          )
        }
      },
    }

    const require = <K extends Capability>(capability: K): NonNullable<Implementation<Options, State>[K]> => {
      const implementation = spec[capability]
      if (implementation === undefined) {
        throw new JunctionError({
          code: 'NOT_SUPPORTED',
          message: `${spec.system} does not support ${capability}`,
          system: spec.system,
          operation: capability,
        })
      }
      return implementation as NonNullable<Implementation<Options, State>[K]>
    }

    let closing: Promise<void> | undefined
    const connector: Connector = {
      system: spec.system,
      name,
      capabilities,
      stack,
      events,
      get(entity, id, callOptions) {
        const get = require('get')
        checkEntity(entity, 'get')
        const cache = callOptions?.cache
        // Tagged with the record, so the connector's own writes to it drop the cached answer.
        const options =
          cache === undefined
            ? callOptions
            : { ...callOptions, cache: { ...cache, tags: [...(cache.tags ?? []), recordTag(entity, id)] } }
        return runner.run({ name: 'get', entity }, options, (ctx) => get(ctx, entity, id))
      },
      query(entity, query = {}, callOptions) {
        const run = require('query')
        checkEntity(entity, 'query')
        return runner.iterate({ name: 'query', entity }, callOptions, (ctx) => run(ctx, entity, query))
      },
      create(entity, records, callOptions = {}) {
        const create = require('create')
        checkWrite(entity, records, 'create')
        return runner.run({ name: 'create', entity }, callOptions, (ctx) =>
          create(ctx, entity, records, callOptions).then(writing(entity, (result) => result.id)),
        )
      },
      update(entity, updates, callOptions = {}) {
        const update = require('update')
        checkWrite(entity, updates, 'update')
        return runner.run({ name: 'update', entity }, callOptions, (ctx) =>
          update(ctx, entity, updates, callOptions).then(
            writing(entity, (result) => updates[result.index]?.id),
          ),
        )
      },
      upsert(entity, records, callOptions) {
        const upsert = require('upsert')
        checkWrite(entity, records, 'upsert')
        if (typeof callOptions?.externalId !== 'string' || callOptions.externalId === '') {
          throw new ValidationError({
            message: `${spec.system} upsert needs options.externalId (the field to match on)`,
            system: spec.system,
            operation: 'upsert',
            entity,
          })
        }
        return runner.run({ name: 'upsert', entity }, callOptions, (ctx) =>
          upsert(ctx, entity, records, callOptions).then(writing(entity, (result) => result.id)),
        )
      },
      delete(entity, ids, callOptions = {}) {
        const remove = require('delete')
        checkWrite(entity, ids, 'delete')
        return runner.run({ name: 'delete', entity }, callOptions, (ctx) =>
          remove(ctx, entity, ids, callOptions).then(writing(entity, (result) => ids[result.index])),
        )
      },
      batch(operations, callOptions = {}) {
        const batch = require('batch')
        if (!Array.isArray(operations)) throw invalidArgument('batch', 'operations must be an array')
        return runner.run({ name: 'batch' }, callOptions, async (ctx) => {
          const results = await batch(ctx, operations, callOptions)
          await invalidate(
            results.flatMap((result) => {
              const operation = operations[result.index]
              if (!result.ok || operation === undefined || operation.op === 'get') return []
              const id =
                operation.op === 'update' ? operation.update.id : 'id' in operation ? operation.id : result.id
              return id === undefined ? [] : [{ entity: operation.entity, id }]
            }),
          )
          return results
        })
      },
      changes(entity, callOptions = {}) {
        const changes = require('changes')
        checkEntity(entity, 'changes')
        return runner.iterate({ name: 'changes', entity }, callOptions, (ctx) =>
          changes(ctx, entity, callOptions),
        )
      },
      request(request) {
        return runner.run({ name: 'request' }, undefined, (ctx) => ctx.request(request))
      },
      close() {
        // Once: undici refuses to close an agent twice, and the contract makes close() idempotent.
        closing ??= (async () => {
          await spec.close?.(state)
          await limiter?.close()
          await transport.close()
          if (ownStores) await stores.close()
        })()
        return closing
      },
    }

    function invalidArgument(operation: string, problem: string): ValidationError {
      return new ValidationError({
        message: `${spec.system} ${operation}: ${problem}`,
        system: spec.system,
        operation,
      })
    }
    function checkEntity(entity: unknown, operation: string): void {
      if (typeof entity !== 'string' || entity === '')
        throw invalidArgument(operation, 'entity must be a non-empty string')
    }
    function checkWrite(entity: unknown, items: unknown, operation: string): void {
      checkEntity(entity, operation)
      if (!Array.isArray(items)) throw invalidArgument(operation, 'records must be an array')
    }

    return Object.assign(connector, spec.extend?.(runner) ?? ({} as Extra))
  }
}

/** What an operation's audit event records about its outcome. */
interface OperationSummary {
  outcome: 'success' | 'failure' | 'partial'
  recordIds?: string[]
  recordCount?: number
  errorCode?: string | undefined
}

function resolveAuth(auth: CoreOptions['auth']): AuthProvider | undefined {
  if (auth === undefined) return undefined
  return isAuthProvider(auth) ? auth : createAuthProvider(auth)
}

function isWriteResult(value: unknown): value is WriteResult {
  return typeof value === 'object' && value !== null && 'ok' in value && 'index' in value
}

function joinUrl(base: string, path: string): string {
  if (path === '') return base
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
}

function deadlineSignal(options: OperationOptions | undefined): AbortSignal | undefined {
  return anySignal(
    options?.signal,
    options?.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
  )
}

function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined)
  return present.length <= 1 ? present[0] : AbortSignal.any(present)
}
