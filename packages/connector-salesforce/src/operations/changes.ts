import { type Change, type ChangesOptions, ValidationError } from '@junction/core'
import { call, type SalesforceContext } from '../salesforce-context.js'
import { deletedSchema, readBody, updatedSchema } from '../salesforce-responses.js'
import { apiName, bindSoql } from '../soql.js'
import { describe } from './describe.js'
import { soqlRecords } from './read.js'

/** Where an incremental read stands: the last change's `SystemModstamp` and, for ties, its Id. */
interface ChangeCursor {
  modstamp: string
  id: string
}

// Compound fields cannot be selected next to their components through the REST query.
const UNSELECTABLE = new Set(['address', 'location', 'base64'])

/**
 * Changes in `SystemModstamp` order, ties broken by Id, read through `/queryAll` so soft deletes
 * (`IsDeleted`) come through as `delete` changes. Each change carries a cursor that resumes just after
 * it: `SystemModstamp > t OR (SystemModstamp = t AND Id > id)`, so nothing is skipped or repeated
 * however many records share a timestamp. Hard-deleted or purged rows need `deleted()` (or CDC).
 */
export async function* changedRecords(
  ctx: SalesforceContext,
  entity: string,
  options: ChangesOptions,
): AsyncIterable<Change> {
  const start = startingPoint(options)
  const described = await describe(ctx, entity)
  const fields = described.fields.filter((field) => !UNSELECTABLE.has(field.type)).map((field) => field.name)
  const select = [
    'Id',
    'SystemModstamp',
    'IsDeleted',
    ...fields.filter((name) => !['Id', 'SystemModstamp', 'IsDeleted'].includes(name)),
  ]
  const base = `SELECT ${select.join(', ')} FROM ${apiName(entity)}`
  const order = 'ORDER BY SystemModstamp ASC, Id ASC'
  const soql =
    start === undefined
      ? `${base} ${order}`
      : 'id' in start
        ? bindSoql({
            text: `${base} WHERE SystemModstamp > :at OR (SystemModstamp = :at2 AND Id > :id) ${order}`,
            params: { at: start.at, at2: start.at, id: start.id },
          })
        : bindSoql({ text: `${base} WHERE SystemModstamp >= :at ${order}`, params: { at: start.at } })
  for await (const record of soqlRecords(ctx, soql, { all: true, pageSize: options.pageSize })) {
    const id = String(record.Id)
    const modstamp = String(record.SystemModstamp)
    yield {
      kind: record.IsDeleted === true ? 'delete' : 'upsert',
      id,
      record: record.IsDeleted === true ? undefined : record,
      changedAt: parseSalesforceDate(modstamp),
      cursor: encodeCursor({ modstamp, id }),
    }
  }
}

/** `GET sobjects/{entity}/updated`: ids changed in the window (minute granularity, ≤ 30 days back). */
export async function updatedIds(
  ctx: SalesforceContext,
  entity: string,
  start: Date,
  end: Date,
): Promise<{ ids: string[]; latestDateCovered: Date }> {
  const body = readBody(
    updatedSchema,
    await call(ctx, { path: `sobjects/${apiName(entity)}/updated/`, query: window(start, end) }),
  )
  return { ids: body.ids, latestDateCovered: parseSalesforceDate(body.latestDateCovered) }
}

/**
 * `GET sobjects/{entity}/deleted`: records deleted in the window (≤ 15 days back). When
 * `earliestDateAvailable` is later than the last sync, deletes were purged: resync in full.
 */
export async function deletedRecords(
  ctx: SalesforceContext,
  entity: string,
  start: Date,
  end: Date,
): Promise<{
  deleted: Array<{ id: string; deletedAt: Date }>
  earliestDateAvailable: Date
  latestDateCovered: Date
}> {
  const body = readBody(
    deletedSchema,
    await call(ctx, { path: `sobjects/${apiName(entity)}/deleted/`, query: window(start, end) }),
  )
  return {
    deleted: body.deletedRecords.map((entry) => ({
      id: entry.id,
      deletedAt: parseSalesforceDate(entry.deletedDate),
    })),
    earliestDateAvailable: parseSalesforceDate(body.earliestDateAvailable),
    latestDateCovered: parseSalesforceDate(body.latestDateCovered),
  }
}

function startingPoint(options: ChangesOptions): { at: Date; id: string } | { at: Date } | undefined {
  if (options.cursor !== undefined) {
    const cursor = decodeCursor(options.cursor)
    return { at: parseSalesforceDate(cursor.modstamp), id: cursor.id }
  }
  if (options.since !== undefined) {
    if (Number.isNaN(options.since.getTime())) throw invalid('changes: since is not a valid date')
    return { at: options.since }
  }
  return undefined
}

function encodeCursor(cursor: ChangeCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, m: cursor.modstamp, id: cursor.id })).toString('base64url')
}

function decodeCursor(text: string): ChangeCursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      v?: unknown
      m?: unknown
      id?: unknown
    }
    if (
      value.v === 1 &&
      typeof value.m === 'string' &&
      typeof value.id === 'string' &&
      !Number.isNaN(parseSalesforceDate(value.m).getTime())
    ) {
      return { modstamp: value.m, id: value.id }
    }
  } catch {
    // Falls through to the error below: the cursor's content is not quoted back.
  }
  throw invalid('changes: cursor is not one this connector wrote')
}

// The start and end of a polling window, with `:` and `+` URL-encoded by the transport (sheet §8.5).
function window(start: Date, end: Date): { start: string; end: string } {
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) {
    throw invalid('the window needs valid dates with start before end')
  }
  const format = (at: Date) => `${at.toISOString().slice(0, 19)}+00:00`
  return { start: format(start), end: format(end) }
}

/** A Salesforce datetime (`2024-05-07T22:07:19.000+0000`) or an ISO one, as a Date. */
export function parseSalesforceDate(value: string): Date {
  return new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
}

function invalid(problem: string): ValidationError {
  return new ValidationError({ message: `salesforce ${problem}`, system: 'salesforce', operation: 'changes' })
}
