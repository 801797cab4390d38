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

/** Where a changes read stands: the last upsert and the last delete seen, each as a keyset. */
interface ChangesCursor {
  v: 1
  upserts?: { at: string; id: string } | undefined
  deletes?: { at: string; id: string } | undefined
}

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
 * UNVERIFIED: `sys_audit_delete` is written only for audited tables and its column names
 * (`tablename`, `documentkey`) come from public reports; when it cannot be read (403, or 400 where the
 * table does not exist) deletes are skipped with a warning. A write landing later within a second
 * already read, with a smaller sys_id, is missed: `sys_updated_on` has one-second granularity.
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
  const start = startKey(position.upserts)
  const filter =
    since !== undefined && cursor === undefined ? `sys_updated_on>=${encodedQueryValue(since)}` : ''
  for await (const page of keysetPages(ctx, table, filter, 'sys_updated_on', start, undefined, pageSize)) {
    for (const row of page.rows) {
      const key = rowKey(row)
      position = { ...position, upserts: key }
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
        position = { ...position, deletes: key }
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

function startKey(key: { at: string; id: string } | undefined): Keyset | undefined {
  return key === undefined ? undefined : { kind: 'sys_updated_on', ...key }
}

function rowKey(row: EntityRecord): { at: string; id: string } {
  const at = plain(row.sys_updated_on)
  const id = plain(row.sys_id)
  return { at, id }
}

function plain(value: unknown): string {
  if (typeof value === 'string') return value
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { value?: unknown }).value === 'string'
  ) {
    return (value as { value: string }).value
  }
  return ''
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
