import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { ValidationError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import { AppendOnlyFile } from './append-only-file.js'
import { type AuditEvent, parseAuditEvent } from './audit-event.js'
import { auditLogFiles, rotatedLogPath } from './audit-log-files.js'
import type { AuditSink } from './audit-sink.js'
import { type ChainHead, type ChainKey, chainLine, GENESIS_HEAD } from './hash-chain.js'
import { readLogFileTail } from './read-chain-head.js'

/** Options for `jsonlAudit`. */
export interface JsonlAuditOptions {
  /**
   * `on-flush` (default): a write resolves once the line is handed to the OS, and `flush()` / `close()`
   * force it to disk. `interval`: as `on-flush`, and a timer fsyncs at most `fsyncIntervalMs` after a
   * write (batched fsync). `always`: a write resolves only once its line is on disk (concurrent writes
   * share one fsync).
   */
  fsync?: 'always' | 'interval' | 'on-flush'
  /** For `fsync: 'interval'`: the longest an accepted line stays unsynced (default 1000 ms). */
  fsyncIntervalMs?: number
  /**
   * Starts a new file when the next line would take the active file past `maxBytes`, and/or (`daily`)
   * on the first write of a new UTC day. The full file is renamed by `rotatedLogPath`; the chain runs on
   * across files, so `verifyAuditLog(path)` walks them all.
   */
  rotate?: { maxBytes?: number; daily?: boolean }
  /** Makes the chain HMAC-SHA-256 under this key (verify needs it too); plain SHA-256 without one. */
  key?: ChainKey
}

/** A JSONL audit sink: the hash-chained log at `path`. */
export interface JsonlAuditSink extends AuditSink {
  /** The active file's path. */
  readonly path: string
  /** The last line's sequence number and hash (accepted lines included): record it elsewhere to detect truncation. */
  head(): Promise<ChainHead>
}

const jsonlAuditOptionsSchema = z.object({
  path: z.string().min(1),
  fsync: z.enum(['always', 'interval', 'on-flush']).default('on-flush'),
  fsyncIntervalMs: z.number().int().positive().default(1_000),
  rotate: z
    .object({ maxBytes: z.number().int().positive().optional(), daily: z.boolean().default(false) })
    .optional(),
  key: z.union([z.string().min(1), z.instanceof(Buffer)]).optional(),
})

const utcDay = (date: Date): string => date.toISOString().slice(0, 10)

interface ActiveFile {
  head: ChainHead
  bytes: number
  lastDay: string | undefined
}

/**
 * An audit sink that appends one hash-chained JSON line per event to `path` (its directory is created
 * if needed; an existing log is continued, its chain from its last line). Each line is the event's
 * fields plus `seq`, `prev` (the previous line's hash; `GENESIS_HASH` on the first line) and `hash`
 * (SHA-256 of the line's canonical JSON without `hash`, see `chainLine`). Events are validated and
 * encoded when `write()` is called, so a bad event fails there and later changes to the object cannot
 * alter what is recorded. One process writes a log at a time.
 */
export function jsonlAudit(path: string, options: JsonlAuditOptions = {}): JsonlAuditSink {
  const parsed = parseOptions(jsonlAuditOptionsSchema, { ...options, path }, 'jsonlAudit')
  let active: ActiveFile | undefined
  const file = new AppendOnlyFile(parsed.path, parsed.fsync, {
    intervalMs: parsed.fsyncIntervalMs,
    // The chain in memory ran ahead of the file; the next write re-reads where the file really ends.
    onFailure: () => {
      active = undefined
    },
  })
  // Chaining is serial: each line's hash needs the one before, including the tail read from disk.
  let turn: Promise<unknown> = Promise.resolve()

  const load = async (): Promise<ActiveFile> => {
    if (active) return active
    try {
      const tail = await readLogFileTail(parsed.path)
      let head = tail?.head ?? GENESIS_HEAD
      if (head.seq === 0) {
        const previous = (await auditLogFiles(parsed.path)).filter((name) => name !== parsed.path).at(-1)
        head = (previous === undefined ? undefined : await readLogFileTail(previous))?.head ?? GENESIS_HEAD
      }
      const bytes = tail?.size ?? 0
      active = { head, bytes, lastDay: tail && bytes > 0 ? utcDay(tail.modified) : undefined }
      return active
    } catch (error) {
      throw new JunctionError({
        code: 'AUDIT_WRITE_FAILED',
        message: `audit file ${parsed.path}: cannot read the end of the log`,
        retryable: true,
        cause: error,
      })
    }
  }

  const encode = (event: AuditEvent, after: ChainHead): { line: string; head: ChainHead } => {
    try {
      return chainLine(event, after, parsed.key)
    } catch (error) {
      throw new ValidationError({
        message: 'invalid audit event: it cannot be written as JSON',
        cause: error,
      })
    }
  }

  const rotateIfDue = (state: ActiveFile, lineBytes: number, today: string): void => {
    const rotate = parsed.rotate
    if (rotate === undefined || state.bytes === 0) return
    const full = rotate.maxBytes !== undefined && state.bytes + lineBytes > rotate.maxBytes
    const newDay = rotate.daily && state.lastDay !== today
    if (!full && !newDay) return
    // A failed rename loses nothing (the lines go on in the same file), so its failure is not the caller's.
    file.rotate(rotatedLogPath(parsed.path, state.lastDay ?? today, state.head.seq)).catch(() => undefined)
    state.bytes = 0
  }

  const append = (event: AuditEvent): Promise<void> => {
    const step = turn.then(async () => {
      const state = await load()
      const { line, head } = encode(event, state.head)
      const lineBytes = Buffer.byteLength(line)
      const today = utcDay(new Date())
      rotateIfDue(state, lineBytes, today)
      state.head = head
      state.bytes += lineBytes
      state.lastDay = today
      return { written: file.append(line) }
    })
    turn = step.catch(() => undefined)
    // The step resolves once the line is queued, so the next one can chain; the caller waits for the write.
    return step.then(({ written }) => written)
  }

  return {
    path: parsed.path,
    write: (event) => {
      try {
        return append(parseAuditEvent(event))
      } catch (error) {
        return Promise.reject(error)
      }
    },
    head: async () => {
      await turn
      return (await load()).head
    },
    flush: async () => {
      await turn
      await file.flush()
    },
    close: async () => {
      await turn
      await file.close()
    },
  }
}
