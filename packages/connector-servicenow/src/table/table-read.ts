import {
  ConfigError,
  type EntityRecord,
  isJunctionError,
  JunctionError,
  type JunctionResponse,
  type Query,
  type RecordId,
  ValidationError,
} from '@junction/core'
import {
  buildEncodedQuery,
  encodedQueryValue,
  fieldName,
  rawEncodedQuery,
  tableName,
} from '../query/encoded-query.js'
import { queryFields } from '../query/query-fields.js'
import type { ServiceNowContext } from '../servicenow-context.js'
import { SERVICENOW_ERROR_CODES } from '../servicenow-errors.js'
import {
  listEnvelopeSchema,
  nextLink,
  readBody,
  recordEnvelopeSchema,
  totalCount,
} from '../servicenow-responses.js'
import { checkFields } from './field-check.js'
import { shapeParams } from './read-params.js'
import { storedValue } from './wire-values.js'

/** One row by sys_id, or undefined (404: missing, or hidden by an ACL). */
export async function getRecord(
  ctx: ServiceNowContext,
  table: string,
  id: RecordId,
): Promise<EntityRecord | undefined> {
  if (typeof id !== 'string' || !/^[0-9a-f]{32}$/.test(id)) {
    throw new ValidationError({
      message: 'servicenow get: id must be a sys_id (32 hex characters)',
      system: 'servicenow',
      operation: 'get',
      entity: table,
    })
  }
  try {
    const response = await ctx.request({
      path: `api/now/table/${tableName(table)}/${id}`,
      query: shapeParams(ctx.options),
      responseType: 'json',
    })
    return readBody(recordEnvelopeSchema, response).result
  } catch (error) {
    if (isJunctionError(error, 'NOT_FOUND')) return undefined
    throw error
  }
}

/** The filter of a query as encoded-query text (`where` or `raw`), its fields checked against the schema. */
export function filterText(ctx: ServiceNowContext, table: string, q: Query): string {
  const text = q.raw === undefined ? buildEncodedQuery(q.where).join('^') : rawEncodedQuery(q.raw)
  checkFields(ctx, table, [
    ...queryFields(text),
    ...(q.select ?? []),
    ...(q.orderBy ?? []).map((o) => o.field),
  ])
  return text
}

/** A keyset position: the last row's sort values. */
export type Keyset = { kind: 'sys_id'; id: string } | { kind: 'sys_updated_on'; at: string; id: string }

/** `filter AND past(key)`, distributed over `^NQ` groups, since `^NQ` would bind a term to the last group only. */
export function keysetQuery(filter: string, kind: Keyset['kind'], key: Keyset | undefined): string {
  const order = kind === 'sys_id' ? ['ORDERBYsys_id'] : ['ORDERBYsys_updated_on', 'ORDERBYsys_id']
  if (/(?:^|\^)ORDERBY/.test(filter)) {
    throw new ValidationError({
      message: 'servicenow query: keyset paging sorts by its key; use paging "offset" to sort by ORDERBY',
      system: 'servicenow',
      operation: 'query',
    })
  }
  const past =
    key === undefined
      ? ['']
      : key.kind === 'sys_id'
        ? [`sys_id>${encodedQueryValue(key.id)}`]
        : [
            `sys_updated_on>${encodedQueryValue(key.at)}`,
            `sys_updated_on=${encodedQueryValue(key.at)}^sys_id>${encodedQueryValue(key.id)}`,
          ]
  const groups = filter === '' ? [''] : filter.split('^NQ')
  const combined = groups.flatMap((group) => past.map((term) => [group, term].filter(Boolean).join('^')))
  return [combined.filter(Boolean).join('^NQ'), ...order].filter(Boolean).join('^')
}

/** The keyset position of a row. */
export function keyOf(row: EntityRecord, kind: Keyset['kind'], status: number): Keyset {
  const id = storedValue(row.sys_id) || undefined
  const at = storedValue(row.sys_updated_on) || undefined
  if (id === undefined || (kind === 'sys_updated_on' && at === undefined)) {
    throw new JunctionError({
      code: 'MALFORMED_RESPONSE',
      message: `servicenow query: a row came back without ${kind === 'sys_id' ? 'sys_id' : 'sys_id and sys_updated_on'}, needed to page`,
      status,
      system: 'servicenow',
      operation: 'query',
    })
  }
  return kind === 'sys_id' ? { kind, id } : { kind, at: at as string, id }
}

/** One page of a keyset read. */
export interface KeysetPage {
  rows: EntityRecord[]
  /** Rows past the key before ACLs, when the instance counted them. */
  total: number | undefined
  status: number
}

/**
 * Reads pages past `key` until none are left, shrinking the page after "Transaction cancelled".
 * A page an ACL emptied (the limit applies before ACLs, sheet §3.2) does not end the read while
 * `X-Total-Count` says rows remain: the next request skips the window just read (`sysparm_offset`).
 */
export async function* keysetPages(
  ctx: ServiceNowContext,
  table: string,
  filter: string,
  kind: Keyset['kind'],
  start: Keyset | undefined,
  fields: string | undefined,
  pageSize: number,
): AsyncGenerator<{ rows: EntityRecord[]; key: Keyset | undefined }> {
  const path = `api/now/table/${tableName(table)}`
  if (kind === 'sys_updated_on' && ctx.options.displayValue === 'true') {
    // Display values of date-times are in the user's time zone and format (sheet §2.3): no key to page on.
    throw new ConfigError({
      message: 'servicenow: paging on sys_updated_on needs stored values; use displayValue "false" or "all"',
      option: 'displayValue',
    })
  }
  const counted = ctx.options.aclSafePaging
  let key = start
  let skip = 0
  let size = pageSize
  for (;;) {
    const query = keysetQuery(filter, kind, key)
    let response: JunctionResponse
    try {
      response = await ctx.request({
        path,
        query: {
          ...shapeParams(ctx.options),
          sysparm_query: query,
          sysparm_fields: fields,
          sysparm_limit: size,
          sysparm_offset: skip === 0 ? undefined : skip,
          sysparm_no_count: !counted,
          sysparm_suppress_pagination_header: true,
        },
        responseType: 'json',
      })
    } catch (error) {
      size = smallerPage(ctx, error, size)
      continue
    }
    const rows = readBody(listEnvelopeSchema, response).result
    const total = counted ? totalCount(response) : undefined
    if (rows.length > 0) key = keyOf(rows.at(-1) as EntityRecord, kind, response.status)
    yield { rows, key }
    const exhausted = total === undefined ? rows.length === 0 : total <= skip + size
    if (exhausted) return
    skip = rows.length > 0 ? 0 : skip + size
  }
}

// Sheet §8.4: after a quota cancellation, retry with half the page, down to minPageSize.
function smallerPage(ctx: ServiceNowContext, error: unknown, size: number): number {
  if (
    !isJunctionError(error, SERVICENOW_ERROR_CODES.transactionCancelled) ||
    size <= ctx.options.minPageSize
  ) {
    throw error
  }
  const smaller = Math.max(ctx.options.minPageSize, Math.floor(size / 2))
  ctx.logger.warn(
    { system: 'servicenow', from: size, to: smaller },
    'servicenow: transaction cancelled, halving the page',
  )
  return smaller
}

/**
 * Every matching row. Keyset paging by default (sheet §3.3): rows inserted or deleted meanwhile cannot
 * shift the window. `paging: 'offset'` follows `Link: rel="next"` instead (sorted by `orderBy`, else
 * sys_id, since an unsorted offset read repeats and skips rows); a short or empty page ends neither.
 */
export async function* queryRecords(
  ctx: ServiceNowContext,
  table: string,
  q: Query,
): AsyncIterable<EntityRecord> {
  const filter = filterText(ctx, table, q)
  const fields =
    q.select === undefined
      ? undefined
      : [
          ...new Set([
            ...q.select.map(fieldName),
            'sys_id',
            ...(ctx.options.keyset === 'sys_updated_on' ? ['sys_updated_on'] : []),
          ]),
        ].join(',')
  const pageSize = Math.min(q.pageSize ?? ctx.options.pageSize, 10_000)
  let remaining = q.limit ?? Number.POSITIVE_INFINITY
  if (remaining <= 0) return
  if (ctx.options.paging === 'offset') {
    yield* offsetPages(ctx, table, filter, q, fields, pageSize, remaining)
    return
  }
  if (q.orderBy !== undefined && q.orderBy.length > 0) {
    throw new JunctionError({
      code: 'NOT_SUPPORTED',
      message: 'servicenow query: keyset paging reads in key order; set paging: "offset" to use orderBy',
      system: 'servicenow',
      operation: 'query',
      entity: table,
    })
  }
  for await (const page of keysetPages(
    ctx,
    table,
    filter,
    ctx.options.keyset,
    undefined,
    fields,
    Math.min(pageSize, remaining),
  )) {
    for (const row of page.rows) {
      yield row
      if (--remaining <= 0) return
    }
  }
}

async function* offsetPages(
  ctx: ServiceNowContext,
  table: string,
  filter: string,
  q: Query,
  fields: string | undefined,
  pageSize: number,
  limit: number,
): AsyncIterable<EntityRecord> {
  const order = (q.orderBy ?? []).map(
    ({ field, direction }) => `${direction === 'desc' ? 'ORDERBYDESC' : 'ORDERBY'}${fieldName(field)}`,
  )
  const sorted = /(?:^|\^)ORDERBY/.test(filter) || order.length > 0
  const text = [filter, ...order, ...(sorted ? [] : ['ORDERBYsys_id'])].filter(Boolean).join('^')
  let remaining = limit
  let offset = 0
  let size = Math.min(pageSize, remaining)
  for (;;) {
    let response: JunctionResponse
    try {
      response = await ctx.request({
        path: `api/now/table/${tableName(table)}`,
        query: {
          ...shapeParams(ctx.options),
          sysparm_query: text,
          sysparm_fields: fields,
          sysparm_limit: size,
          sysparm_offset: offset,
        },
        responseType: 'json',
      })
    } catch (error) {
      size = smallerPage(ctx, error, size)
      continue
    }
    for (const row of readBody(listEnvelopeSchema, response).result) {
      yield row
      if (--remaining <= 0) return
    }
    // Stop when the instance says there is no next page, never on a short page (sheet §3.2).
    const next = nextLink(response)
    const total = totalCount(response)
    if (next === undefined && (total === undefined || offset + size >= total)) return
    const nextOffset = Number(next?.searchParams.get('sysparm_offset') ?? offset + size)
    if (!(nextOffset > offset)) return
    offset = nextOffset
  }
}
