import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { ValidationError } from '../errors/error-kinds.js'
import { AppendOnlyFile } from './append-only-file.js'
import { type AuditEvent, parseAuditEvent } from './audit-event.js'
import type { AuditSink } from './audit-sink.js'

/** Options for `jsonlAudit`. */
export interface JsonlAuditOptions {
  /**
   * `on-flush` (default): a write resolves once the line is handed to the OS, and `flush()` / `close()`
   * force it to disk. `always`: a write resolves only once its line is on disk (slower, survives power loss).
   */
  fsync?: 'always' | 'on-flush'
}

const jsonlAuditOptionsSchema = z.object({
  path: z.string().min(1),
  fsync: z.enum(['always', 'on-flush']).default('on-flush'),
})

// One event, one line; Dates become ISO strings through their toJSON.
const toJsonLine = (event: AuditEvent): string => {
  try {
    return `${JSON.stringify(event)}\n`
  } catch (error) {
    throw new ValidationError({ message: 'invalid audit event: it cannot be written as JSON', cause: error })
  }
}

/**
 * An audit sink that appends one JSON line per event to `path` (its directory is created if needed,
 * an existing file is appended to). Each event is validated and encoded when `write()` is called, so
 * a bad event fails there and later changes to the object cannot alter what is recorded.
 */
export function jsonlAudit(path: string, options: JsonlAuditOptions = {}): AuditSink {
  const parsed = parseOptions(jsonlAuditOptionsSchema, { ...options, path }, 'jsonlAudit')
  const file = new AppendOnlyFile(parsed.path, parsed.fsync)
  return {
    async write(event) {
      await file.append(toJsonLine(parseAuditEvent(event)))
    },
    flush: () => file.flush(),
    close: () => file.close(),
  }
}
