import {
  type EntityRecord,
  isJunctionError,
  type JunctionResponse,
  type Query,
  type RecordId,
  TransportError,
} from '@junction/core'
import type { EntitySetInfo } from './metadata/service-metadata.js'
import { bindFilter, buildFilter } from './odata/odata-filter.js'
import { keyPredicate, propertyName, propertyPath } from './odata/odata-literal.js'
import { fromWire } from './odata/wire-values.js'
import { entitySet, jsonHeaders, type SapContext } from './sap-context.js'
import { sapMessages } from './sap-messages.js'
import { MAX_PAGE_SIZE } from './sap-options.js'
import { rawEtag, readCollection, readEntity, rememberEtag, toFields } from './sap-responses.js'

/** A portable query plus OData's `$expand` (navigation paths, nested with `/`). */
export interface SapQuery extends Query {
  expand?: readonly string[]
}

/** The entity with that key as typed fields, or `undefined` when SAP answers 404. */
export async function getEntity(
  ctx: SapContext,
  entity: string,
  id: RecordId,
): Promise<EntityRecord | undefined> {
  const set = await entitySet(ctx, propertyName(entity))
  const { version } = ctx.state
  try {
    const response = await ctx.request({
      path: `${entity}${keyPredicate(id, version, set)}`,
      headers: jsonHeaders(version),
    })
    const { raw, etag } = readEntity(response, version)
    logMessages(ctx, response)
    return typed(ctx, raw, etag, set)
  } catch (error) {
    if (isJunctionError(error, 'NOT_FOUND')) return undefined
    throw error
  }
}

/**
 * Reads in `$top` windows (`$skip` moving on by a window; `$top` is always sent, as classic services
 * may otherwise answer everything at once), and within a window follows `__next` (V2) or
 * `@odata.nextLink` (V4, resolved against the service root when relative) as long as the server
 * splits it: RAP services cap pages and link the rest (sheet §1.7). A window that comes back short is
 * the last. Without `orderBy` the order across windows is the service's default (by key on the services
 * seen; UNVERIFIED in general), so pass `orderBy` where the order must be stable.
 */
export async function* queryEntities(
  ctx: SapContext,
  entity: string,
  q: SapQuery,
): AsyncIterable<EntityRecord> {
  const set = await entitySet(ctx, propertyName(entity))
  const pageSize = Math.min(q.pageSize ?? ctx.options.pageSize, MAX_PAGE_SIZE)
  let remaining = q.limit ?? Number.POSITIVE_INFINITY
  for (let skip = 0; remaining > 0; skip += pageSize) {
    const top = Math.min(pageSize, remaining)
    let served = 0
    for await (const record of queryWindow(ctx, entity, q, set, skip, top)) {
      served++
      remaining--
      yield record
    }
    if (served < top) return
  }
}

/**
 * One `$top`/`$skip` window of a query, following the server's next links inside it: at most `top`
 * records, fewer when the set has no more.
 */
export async function* queryWindow(
  ctx: SapContext,
  entity: string,
  q: SapQuery,
  set: EntitySetInfo | undefined,
  skip: number,
  top: number,
): AsyncIterable<EntityRecord> {
  let response = await ctx.request({
    path: entity,
    query: { ...queryOptions(ctx, q, set), $top: top, $skip: skip === 0 ? undefined : skip },
    headers: jsonHeaders(ctx.state.version),
  })
  let served = 0
  for (;;) {
    const page = readCollection(response, ctx.state.version)
    logMessages(ctx, response)
    for (const raw of page.results.slice(0, top - served)) {
      served++
      yield typed(ctx, raw, undefined, set)
    }
    if (page.next === undefined || served >= top) return
    response = await ctx.request({
      url: sameOrigin(page.next, response.url, ctx.options.serviceRoot),
      headers: jsonHeaders(ctx.state.version),
    })
  }
}

/** How many records match: `$inlinecount=allpages` (V2) or `$count=true` (V4) with `$top=0`. */
export async function countEntities(ctx: SapContext, entity: string, q: SapQuery): Promise<number> {
  const set = await entitySet(ctx, propertyName(entity))
  const { $filter } = queryOptions(ctx, q, set)
  const version = ctx.state.version
  const response = await ctx.request({
    path: entity,
    query: { $filter, $top: 0, ...(version === 'v2' ? { $inlinecount: 'allpages' } : { $count: 'true' }) },
    headers: jsonHeaders(version),
  })
  const count = readCollection(response, version).count
  if (count === undefined) {
    throw new TransportError({
      code: 'MALFORMED_RESPONSE',
      message: 'sap: the count answer carries no count',
      system: 'sap',
    })
  }
  return count
}

/** The `$filter`, `$select`, `$expand` and `$orderby` of a query, names checked and values escaped. */
export function queryOptions(ctx: SapContext, q: SapQuery, set: EntitySetInfo | undefined) {
  const version = ctx.state.version
  return {
    $filter:
      q.raw === undefined
        ? buildFilter(q.where, version, set, { booleanFunctionsEqTrue: ctx.options.booleanFunctionsEqTrue })
        : bindFilter(q.raw, version),
    $select: q.select?.map(propertyPath).join(','),
    $expand: q.expand?.map(propertyPath).join(','),
    $orderby: q.orderBy
      ?.map(({ field, direction }) => `${propertyPath(field)} ${direction ?? 'asc'}`)
      .join(','),
  }
}

// Reads return records, which have no room for messages: SAP's business messages on a read go to the log.
function logMessages(ctx: SapContext, response: JunctionResponse): void {
  const messages = sapMessages(response.headers)
  if (messages.length > 0)
    ctx.logger.warn(
      { system: 'sap', operation: ctx.operation.name, entity: ctx.operation.entity, messages },
      'sap-message on a read',
    )
}

/** A raw entity as typed fields, its ETag remembered for `etagOf`. */
export function typed(
  ctx: SapContext,
  raw: EntityRecord,
  headerEtag: string | undefined,
  set: EntitySetInfo | undefined,
): EntityRecord {
  const record = fromWire(toFields(raw), set, ctx.options.openEnd)
  rememberEtag(record, rawEtag(raw) ?? headerEtag)
  return record
}

// A next link is absolute in V2 and names the host as the backend sees it, which behind a proxy is not
// the one the connector talks to; in V4 it may be relative (UNVERIFIED for SAP). Credentials must never
// follow a link to another host, so only its path and query are taken, on the service root's origin.
function sameOrigin(next: string, current: string, serviceRoot: string): string {
  const link = new URL(next, `${current.split('?')[0]?.replace(/[^/]*$/, '')}`)
  return `${new URL(serviceRoot).origin}${link.pathname}${link.search}`
}
