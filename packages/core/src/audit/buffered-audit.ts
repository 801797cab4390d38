import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { isJunctionError, JunctionError } from '../errors/junction-error.js'
import { type AuditEvent, parseAuditEvent } from './audit-event.js'
import type { AuditSink } from './audit-sink.js'
import { SpillQueue } from './spill-queue.js'

/** Options for `bufferedAudit`. */
export interface BufferedAuditOptions {
  /** How many events wait in memory for the sink. */
  maxEvents: number
  /** When memory is full: `block` makes `write()` wait for room; `spill` appends to a file in `spillDir`. */
  overflow: 'block' | 'spill'
  /** Where spilled events go (required for `spill`); one buffer per directory. */
  spillDir?: string
  /** How many events are handed to the sink at once (default 100). */
  batchSize?: number
  /** The first pause after the sink fails; it doubles up to 30 s, and the batch is retried (default 100 ms). */
  retryDelayMs?: number
  /** Flush when the event loop empties (`beforeExit`), default true. */
  flushOnExit?: boolean
  /** Told of each sink failure (the events are retried) and of any event the sink refuses as invalid (dropped). */
  onError?: (error: JunctionError) => void
}

/** A buffered audit sink. */
export interface BufferedAuditSink extends AuditSink {
  /** Events accepted but not yet delivered from memory (spilled events are not counted). */
  readonly pending: number
}

const optionsSchema = z
  .object({
    maxEvents: z.number().int().positive(),
    overflow: z.enum(['block', 'spill']),
    spillDir: z.string().min(1).optional(),
    batchSize: z.number().int().positive().default(100),
    retryDelayMs: z.number().int().positive().default(100),
    flushOnExit: z.boolean().default(true),
    onError: z.custom<(error: JunctionError) => void>((value) => typeof value === 'function').optional(),
  })
  .refine((options) => options.overflow !== 'spill' || options.spillDir !== undefined, {
    message: 'required when overflow is `spill`',
    path: ['spillDir'],
  })

const MAX_RETRY_DELAY_MS = 30_000

interface Waiter {
  readonly event: AuditEvent
  readonly resolve: () => void
}

/**
 * Puts a bounded buffer in front of `sink` so a slow or failing sink never loses an event: `write()`
 * resolves once the event is in memory (or, spilled, on disk), and a background pump hands events to
 * the sink in order, retrying failed batches with backoff. When memory is full, `block` makes `write()`
 * wait for room; `spill` appends to a JSONL file in `spillDir` that is replayed into the sink, in order,
 * once it catches up (files a previous process left there are replayed first).
 *
 * `close()` (and `flush()`) wait until everything is delivered; a `beforeExit` handler flushes when the
 * event loop empties. Neither runs on `process.exit()` or a signal: call `close()` from your shutdown
 * handler. SIGKILL cannot be caught: events still in memory are lost then, but the spill file (fsynced
 * per write) survives and is replayed by the next `bufferedAudit` on the same `spillDir`. Delivery is
 * at least once: a batch retried after a partial failure, or replayed after a crash, can repeat events
 * (`id` identifies them; the PostgreSQL sink ignores repeats).
 */
export function bufferedAudit(sink: AuditSink, options: BufferedAuditOptions): BufferedAuditSink {
  const parsed = parseOptions(optionsSchema, options, 'bufferedAudit')
  const memory: AuditEvent[] = []
  const waiters: Waiter[] = []
  const spill = parsed.spillDir === undefined ? undefined : new SpillQueue(parsed.spillDir)
  const opened = spill?.open() ?? Promise.resolve()
  let spilling = false
  let pumping: Promise<void> | undefined
  let idle: { promise: Promise<void>; resolve: () => void } | undefined
  let closing: Promise<void> | undefined
  const report = (error: unknown) => {
    if (isJunctionError(error)) parsed.onError?.(error)
  }

  const deliver = async (batch: readonly AuditEvent[]): Promise<void> => {
    let remaining = batch
    for (
      let delay = parsed.retryDelayMs;
      remaining.length > 0;
      delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)
    ) {
      const results = await Promise.allSettled(remaining.map((event) => sink.write(event)))
      const retry: AuditEvent[] = []
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') return
        const event = remaining[index]
        const error = isJunctionError(result.reason)
          ? result.reason
          : new JunctionError({
              code: 'AUDIT_WRITE_FAILED',
              message: 'audit sink failed',
              cause: result.reason,
            })
        report(error)
        // An event the sink calls invalid will never go in; every other failure is retried.
        if (event !== undefined && error.code !== 'VALIDATION_FAILED') retry.push(event)
      })
      remaining = retry
      if (remaining.length > 0) await sleep(delay)
    }
  }

  const admitWaiters = () => {
    while (waiters.length > 0 && memory.length < parsed.maxEvents) {
      const waiter = waiters.shift()
      if (waiter === undefined) break
      memory.push(waiter.event)
      waiter.resolve()
    }
  }

  const replaySpill = async (queue: SpillQueue): Promise<boolean> => {
    const read = await queue.read(parsed.batchSize)
    if (read.torn) {
      report(
        new JunctionError({
          code: 'VALIDATION_FAILED',
          message: 'spill file: skipped a line cut short by a crash',
        }),
      )
    }
    const events: AuditEvent[] = []
    for (const line of read.lines) {
      try {
        events.push(parseAuditEvent(JSON.parse(line)))
      } catch (error) {
        report(
          isJunctionError(error)
            ? error
            : new JunctionError({
                code: 'VALIDATION_FAILED',
                message: 'spill file: skipped a line that is not JSON',
              }),
        )
      }
    }
    await deliver(events)
    await read.ack()
    return read.lines.length > 0 || read.torn
  }

  // One step of the pump: false once memory and disk are both empty.
  const step = async (): Promise<boolean> => {
    if (memory.length > 0) {
      const batch = memory.slice(0, parsed.batchSize)
      await deliver(batch)
      memory.splice(0, batch.length)
      admitWaiters()
      return true
    }
    if (spill === undefined || spill.empty) return false
    if (!(await replaySpill(spill))) {
      // Lines still being appended: wait for them, then read again.
      await spill.settled()
    }
    return true
  }

  const pump = async (): Promise<void> => {
    await opened.catch(report)
    for (let delay = parsed.retryDelayMs; ; ) {
      try {
        if (!(await step())) {
          // Memory and disk are empty: new writes may use memory again (checked and switched without a pause).
          spilling = false
          break
        }
        delay = parsed.retryDelayMs
      } catch (error) {
        // The spill file could not be read: nothing is lost, it is read again after a pause.
        report(
          isJunctionError(error)
            ? error
            : new JunctionError({
                code: 'AUDIT_WRITE_FAILED',
                message: 'buffered audit: spill file unreadable',
                cause: error,
              }),
        )
        await sleep(delay)
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)
      }
    }
    pumping = undefined
    idle?.resolve()
    idle = undefined
  }

  const kick = () => {
    pumping ??= pump()
  }

  const accept = async (event: AuditEvent): Promise<void> => {
    await opened
    if (spill !== undefined && !spill.empty) spilling = true
    if (!spilling && waiters.length === 0 && memory.length < parsed.maxEvents) {
      memory.push(event)
      kick()
      return
    }
    if (parsed.overflow === 'block' || spill === undefined) {
      await new Promise<void>((resolve) => {
        waiters.push({ event, resolve })
        kick()
      })
      return
    }
    // Once one event spills, the ones after it do too until the file is replayed: order is kept.
    spilling = true
    const written = spill.append(JSON.stringify(event))
    kick()
    await written
  }

  const drained = async (): Promise<void> => {
    await opened
    while (
      pumping !== undefined ||
      memory.length > 0 ||
      waiters.length > 0 ||
      (spill !== undefined && !spill.empty)
    ) {
      kick()
      idle ??= signal()
      await idle.promise
    }
  }

  // Also fsyncs: under `on-flush` and `interval` the sink's last lines would otherwise not be.
  const onExit = () => {
    void drained()
      .then(() => sink.flush())
      .catch(report)
  }
  if (parsed.flushOnExit) process.on('beforeExit', onExit)

  return {
    get pending() {
      return memory.length + waiters.length
    },
    write(event) {
      if (closing) {
        return Promise.reject(
          new JunctionError({ code: 'AUDIT_CLOSED', message: 'buffered audit: the sink is closed' }),
        )
      }
      try {
        return accept(parseAuditEvent(event))
      } catch (error) {
        return Promise.reject(error)
      }
    },
    async flush() {
      await drained()
      await sink.flush()
    },
    close() {
      closing ??= (async () => {
        await drained()
        process.off('beforeExit', onExit)
        await spill?.close()
        await sink.close()
      })()
      return closing
    },
  }
}

// One promise per quiet period of the pump (Promise.withResolvers needs Node 22).
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined
  const promise = new Promise<void>((done) => {
    resolve = done
  })
  return { promise, resolve }
}
