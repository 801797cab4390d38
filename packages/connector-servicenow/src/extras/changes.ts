import {
  type Change,
  type ChangesOptions,
  type EntityRecord,
  isJunctionError,
  parseServiceNowDateTime,
  ValidationError,
} from '@junction/core'
import { encodedQueryValue, serviceNowDateTime, tableName } from '../query/encoded-query.js'
import type { ServiceNowContext } from '../servicenow-context.js'
import { type Keyset, keysetPages } from '../table/table-read.js'
import { storedValue } from '../table/wire-values.js'

/** A keyset position; `seen` lists `sys_id:sys_mod_count` of the rows read at `at`, while there are few. */
interface Position {
  at: string
  id: string
  seen?: string[] | undefined
}

/** Where a changes read stands: the last upsert and the last delete seen. */
interface ChangesCursor {
  v: 1
  upserts?: Position | undefined
  deletes?: Position | undefined
}

/** Rows of one second remembered in a cursor; past this, a resumed read falls back to the plain keyset. */
const SEEN_LIMIT = 200

/** Options of `changes` beyond core's: whether to read deletes from `sys_audit_delete`. */
export interface ServiceNowChangesOptions extends ChangesOptions {
  /** Read deletes (default true); they come from `sys_audit_delete`, which needs read access to it. */
  deletes?: boolean
}

/**
 * Incremental read (sheet §9): rows with `sys_updated_on` past the cursor, in `sys_updated_on, sys_id`
 * keyset order (so rows sharing a second are neither lost nor repeated), then the deletes recorded
 * since in `sys_audit_delete` for this table. Each change carries a cursor to resume just after it.
 *
 * `sys_updated_on` has one-second granularity, so a write can land in a second a read has already
 * passed. The cursor remembers the rows (`sys_id:sys_mod_count`) of its last second, and a resumed
 * read starts at that second again (`>=`), skipping only those: the late write is not missed. Past
 * 200 rows in one second it resumes after the last key instead, and such a late write can be missed.
 *
 * UNVERIFIED: `sys_audit_delete` is written only for audited tables and its column names
 * (`tablename`, `documentkey`) come from public reports; when it cannot be read (403, or 400 where the
 * table does not exist) deletes are skipped with a warning.
 */
export async function* readChanges(
  ctx: ServiceNowContext,
  table: string,
  options: ServiceNowChangesOptions,
): AsyncIterable<Change> {
  tableName(table)
  const cursor = decodeCursor(options.cursor)
  const since = options.since === undefined ? undefined : serviceNowDateTime(options.since)
  const pageSize = options.pageSize ?? ctx.options.pageSize
  let position: ChangesCursor = cursor ?? { v: 1 }
  const resumed = position.upserts
  // With the last second's rows known, that second is read again and only they are skipped.
  const again = resumed?.seen === undefined ? undefined : { at: resumed.at, seen: new Set(resumed.seen) }
  const filter =
    again !== undefined
      ? `sys_updated_on>=${encodedQueryValue(again.at)}`
      : since !== undefined && cursor === undefined
        ? `sys_updated_on>=${encodedQueryValue(since)}`
        : ''
  const start = again === undefined ? startKey(resumed) : undefined
  for await (const page of keysetPages(ctx, table, filter, 'sys_updated_on', start, undefined, pageSize)) {
    for (const row of page.rows) {
      const key = rowKey(row)
      const mark = `${key.id}:${storedValue(row.sys_mod_count)}`
      if (again !== undefined && key.at === again.at && again.seen.has(mark)) continue
      position = { ...position, upserts: advance(position.upserts, key, mark) }
      yield {
        kind: 'upsert',
        id: key.id,
        record: row,
        changedAt: parseServiceNowDateTime(key.at),
        cursor: encodeCursor(position),
      }
    }
  }
  if (options.deletes === false) return
  const deleteFilter = [
    `tablename=${encodedQueryValue(table)}`,
    ...(since !== undefined && position.deletes === undefined
      ? [`sys_created_on>=${encodedQueryValue(since)}`]
      : []),
  ].join('^')
  try {
    for await (const page of keysetPages(
      ctx,
      'sys_audit_delete',
      deleteFilter,
      'sys_updated_on',
      startKey(position.deletes),
      'sys_id,sys_updated_on,documentkey,tablename',
      pageSize,
    )) {
      for (const row of page.rows) {
        const key = rowKey(row)
        position = { ...position, deletes: { at: key.at, id: key.id } }
        yield {
          kind: 'delete',
          id: String(row.documentkey ?? ''),
          changedAt: parseServiceNowDateTime(key.at),
          cursor: encodeCursor(position),
        }
      }
    }
  } catch (error) {
    if (
      isJunctionError(error, 'FORBIDDEN') ||
      isJunctionError(error, 'VALIDATION_FAILED') ||
      isJunctionError(error, 'BAD_REQUEST')
    ) {
      ctx.logger.warn(
        { system: 'servicenow', table, code: (error as { code: string }).code },
        'servicenow changes: sys_audit_delete is not readable, deletes skipped',
      )
      return
    }
    throw error
  }
}

function startKey(key: Position | undefined): Keyset | undefined {
  return key === undefined ? undefined : { kind: 'sys_updated_on', at: key.at, id: key.id }
}

// The position after a row: the same second adds to its rows (up to SEEN_LIMIT), a new one starts over.
function advance(previous: Position | undefined, key: { at: string; id: string }, mark: string): Position {
  if (previous === undefined || previous.at !== key.at) return { ...key, seen: [mark] }
  const seen =
    previous.seen === undefined || previous.seen.length >= SEEN_LIMIT ? undefined : [...previous.seen, mark]
  return { ...key, seen }
}

function rowKey(row: EntityRecord): { at: string; id: string } {
  const at = storedValue(row.sys_updated_on)
  const id = storedValue(row.sys_id)
  return { at, id }
}

function encodeCursor(cursor: ChangesCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url')
}

function decodeCursor(text: string | undefined): ChangesCursor | undefined {
  if (text === undefined) return undefined
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ChangesCursor
    if (parsed.v === 1) return parsed
  } catch {
    // Reported below as a validation error.
  }
  throw new ValidationError({
    message: 'servicenow changes: the cursor is not one this connector wrote',
    system: 'servicenow',
    operation: 'changes',
  })
}
