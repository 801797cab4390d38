import { z } from 'zod'
import type { CheckpointStore } from '../checkpoints/checkpoint-store.js'
import { hasMethods } from '../config/has-methods.js'
import { parseOptions } from '../config/parse-options.js'
import type { Change, Connector, EntityRecord } from '../connector/connector.js'
import { TimeoutError, ValidationError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import { qualityReport } from '../transform/quality-report.js'
import type { Transformer, TransformIssue, TransformResult } from '../transform/transformer.js'
import type { ProgressReporter, SyncProgress } from './sync-progress.js'
import type { SinkChange, SyncSink } from './sync-sink.js'
import { terminalProgress } from './terminal-progress.js'

/** A record the transformer refused: reported, not written; the cursor moves past it. */
export interface InvalidRecord {
  entity: string
  sourceId: string
  issues: readonly TransformIssue[]
}

/** What `sync` reads, how it transforms, where it writes and where it keeps its place. */
export interface SyncOptions<T = EntityRecord> {
  /** The connector to read `changes()` from (it must declare the `changes` capability). */
  source: Connector
  entity: string
  /** System record → the shape the sink stores (e.g. a canonical model); records it refuses are skipped. */
  transform?: Transformer<EntityRecord, T>
  sink: SyncSink<T>
  checkpoints: CheckpointStore
  /** Where the cursor is saved (default `<connection name>:<entity>`). */
  checkpointKey?: string
  /** The key a change is written under (default the source id): an external id, an identity link... */
  key?: (change: Change, value: T | undefined) => string | Promise<string>
  /** Changes per sink write, and so per checkpoint (default 200). */
  batchSize?: number
  /** Where a first run (no checkpoint yet) starts; without it, the connector's own beginning. */
  since?: Date
  /** A page-size hint passed to `changes()`. */
  pageSize?: number
  /** `skip` (default) reports refused records to `onInvalid` and goes on; `fail` stops the run before the batch is written. */
  invalid?: 'skip' | 'fail'
  onInvalid?: (record: InvalidRecord) => void
  /** Called after each batch the sink confirmed and the checkpoint saved. */
  onProgress?: (progress: SyncProgress) => void
  /** A progress bar on stdout (default true), drawn only when stdout is a TTY. */
  progressBar?: boolean
  /** Reporters of your own (e.g. a bar on another stream), besides the progress bar. */
  reporters?: readonly ProgressReporter[]
  /** Stops the run; the batch in progress is neither written nor checkpointed. */
  signal?: AbortSignal
}

const optionsSchema = z.object({
  source: z.custom<Connector>(hasMethods('changes', 'get')),
  entity: z.string().min(1),
  transform: z.custom<Transformer<EntityRecord, unknown>>(hasMethods('transform')).optional(),
  sink: z.custom<SyncSink<unknown>>(hasMethods('write')),
  checkpoints: z.custom<CheckpointStore>(hasMethods('load', 'save')),
  checkpointKey: z.string().min(1).optional(),
  key: z
    .custom<(change: Change, value: unknown) => string>((value) => typeof value === 'function')
    .optional(),
  batchSize: z.number().int().positive().default(200),
  since: z.date().optional(),
  pageSize: z.number().int().positive().optional(),
  invalid: z.enum(['skip', 'fail']).default('skip'),
  onInvalid: z.custom<(record: InvalidRecord) => void>((value) => typeof value === 'function').optional(),
  onProgress: z.custom<(progress: SyncProgress) => void>((value) => typeof value === 'function').optional(),
  progressBar: z.boolean().default(true),
  reporters: z.array(z.custom<ProgressReporter>(hasMethods('update', 'finish'))).default([]),
  signal: z.instanceof(AbortSignal).optional(),
})

interface Pending<T> {
  changes: Array<{ change: Change; sinkChange: SinkChange<T> | undefined }>
  results: Array<TransformResult<T>>
}

/**
 * Incremental extract: reads `source.changes(entity)` from the saved checkpoint, transforms each
 * record, writes batches keyed by `key` to the sink, and saves the cursor of a batch's last change only
 * after the sink confirmed the batch. A run that dies anywhere resumes from the last confirmed batch:
 * nothing is skipped, and the one batch that may be replayed rewrites the same keys (the sink is
 * idempotent per key). Within a batch, the last change of a key wins.
 */
export async function sync<T = EntityRecord>(options: SyncOptions<T>): Promise<SyncProgress> {
  const parsed = parseOptions(optionsSchema, options, 'sync')
  const { source, entity, checkpoints, batchSize } = parsed
  if (!source.capabilities.has('changes')) {
    throw new JunctionError({
      code: 'NOT_SUPPORTED',
      message: `sync: ${source.system} does not support changes`,
      system: source.system,
      operation: 'changes',
      entity,
    })
  }
  const transform = options.transform
  const sink = options.sink
  const keyOf = options.key ?? ((change: Change) => change.id)
  const checkpointKey = parsed.checkpointKey ?? `${source.name}:${entity}`
  const saved = await checkpoints.load(checkpointKey)
  const started = performance.now()
  const reporters = [...parsed.reporters]
  if (parsed.progressBar) {
    const bar = await terminalProgress(`${source.name} ${entity}`)
    if (bar) reporters.push(bar)
  }

  const progress: SyncProgress = {
    entity,
    checkpointKey,
    read: 0,
    written: 0,
    deleted: 0,
    invalid: 0,
    batches: 0,
    recordsPerSecond: 0,
    lagMs: undefined,
    cursor: saved?.cursor,
    resumedFrom: saved?.cursor,
    elapsedMs: 0,
  }
  let totalRecords = saved?.records ?? 0
  let pending: Pending<T> = { changes: [], results: [] }

  const toSinkChange = async (change: Change): Promise<SinkChange<T> | undefined> => {
    const common = { sourceId: change.id, changedAt: change.changedAt }
    if (change.kind === 'delete') return { kind: 'delete', key: await keyOf(change, undefined), ...common }
    const record = change.record ?? (await source.get(entity, change.id, { signal: parsed.signal }))
    // Gone between the change and the read: the delete that follows in the feed removes it.
    if (record === undefined) return undefined
    const result: TransformResult<T> = transform
      ? transform.transform(record)
      : { ok: true, value: record as unknown as T }
    pending.results.push(result)
    if (!result.ok) {
      const refused: InvalidRecord = { entity, sourceId: change.id, issues: result.issues }
      if (parsed.invalid === 'fail') {
        throw new ValidationError({
          message: `sync ${entity}: record ${change.id} did not transform`,
          entity,
          details: refused.issues,
        })
      }
      progress.invalid++
      options.onInvalid?.(refused)
      return undefined
    }
    return { kind: 'upsert', key: await keyOf(change, result.value), value: result.value, ...common }
  }

  const flush = async (): Promise<void> => {
    const batch = pending
    pending = { changes: [], results: [] }
    const last = batch.changes.at(-1)?.change
    if (last === undefined) return
    // The last change of a key wins; order follows each key's last change.
    const byKey = new Map<string, SinkChange<T>>()
    for (const { sinkChange } of batch.changes) {
      if (sinkChange === undefined) continue
      byKey.delete(sinkChange.key)
      byKey.set(sinkChange.key, sinkChange)
    }
    const writes = [...byKey.values()]
    if (writes.length > 0) {
      try {
        await sink.write(writes, { entity, signal: parsed.signal })
      } catch (error) {
        throw error instanceof JunctionError
          ? error
          : new JunctionError({
              code: 'SINK_FAILED',
              message: `sync ${entity}: the sink refused a batch of ${writes.length} (it is read again on the next run)`,
              operation: 'sync',
              entity,
              retryable: true,
              cause: error,
            })
      }
    }
    totalRecords += batch.changes.length
    await checkpoints.save(checkpointKey, { cursor: last.cursor, savedAt: new Date(), records: totalRecords })
    progress.batches++
    progress.written += writes.filter((write) => write.kind === 'upsert').length
    progress.deleted += writes.filter((write) => write.kind === 'delete').length
    progress.cursor = last.cursor
    const changedAt = [...batch.changes].reverse().find(({ change }) => change.changedAt)?.change.changedAt
    if (changedAt !== undefined) progress.lagMs = Math.max(0, Date.now() - changedAt.getTime())
    progress.quality = transform && batch.results.length > 0 ? qualityReport(batch.results) : undefined
    measure()
    const snapshot = { ...progress }
    parsed.onProgress?.(snapshot)
    for (const reporter of reporters) reporter.update(snapshot)
  }

  const measure = () => {
    progress.elapsedMs = performance.now() - started
    progress.recordsPerSecond = progress.elapsedMs > 0 ? (progress.read * 1_000) / progress.elapsedMs : 0
  }

  try {
    const changes = source.changes(entity, {
      ...(saved ? { cursor: saved.cursor } : parsed.since ? { since: parsed.since } : {}),
      ...(parsed.pageSize ? { pageSize: parsed.pageSize } : {}),
      signal: parsed.signal,
    })
    for await (const change of changes) {
      checkAborted(parsed.signal)
      progress.read++
      pending.changes.push({ change, sinkChange: await toSinkChange(change) })
      if (pending.changes.length >= batchSize) await flush()
    }
    checkAborted(parsed.signal)
    await flush()
    measure()
    return { ...progress }
  } finally {
    for (const reporter of reporters) reporter.finish({ ...progress })
  }
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new TimeoutError({
      code: 'ABORTED',
      message: 'sync was aborted; it resumes from the last saved checkpoint',
      operation: 'sync',
      cause: signal.reason,
    })
  }
}
