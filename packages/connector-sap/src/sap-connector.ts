import {
  ConfigError,
  type Connector,
  type ConnectorContext,
  defineConnector,
  type EntityRecord,
  isJunctionError,
  type Query,
  type RecordId,
} from '@junction/core'
import type { z } from 'zod'
import { bindFilter, buildFilter, keyPredicate, propertyName, propertyPath } from './odata-literal.js'
import { sapClientMiddleware } from './sap-client-middleware.js'
import { mapSapError } from './sap-errors.js'
import { MAX_PAGE_SIZE, type SapOptions, sapOptionsShape } from './sap-options.js'
import { collectionEnvelopeSchema, entityEnvelopeSchema, readBody, toRecord } from './sap-responses.js'

type Context = ConnectorContext<z.output<z.ZodObject<typeof sapOptionsShape>>, undefined>

const connect = defineConnector({
  system: 'sap',
  options: sapOptionsShape,
  mapError: mapSapError,
  setup(_options, auth) {
    if (auth === undefined)
      throw new ConfigError({ message: 'sap needs auth (e.g. basic for a technical user)', option: 'auth' })
    return undefined
  },
  middleware(stack, options) {
    if (options.client !== undefined) stack.add('sap-client', sapClientMiddleware(options.client))
  },
  baseUrl: (ctx) => ctx.options.serviceRoot,
  get,
  query,
})

/** An SAP connector for one OData V2 service (`/sap/opu/odata/sap/<SERVICE>`), e.g. with basic auth. */
export function sap(options: SapOptions): Connector {
  return connect(options)
}

async function get(ctx: Context, entity: string, id: RecordId): Promise<EntityRecord | undefined> {
  try {
    const response = await ctx.request({ path: `${propertyName(entity)}${keyPredicate(id)}` })
    return toRecord(readBody(entityEnvelopeSchema, response).d)
  } catch (error) {
    if (isJunctionError(error, 'NOT_FOUND')) return undefined
    throw error
  }
}

/**
 * Reads in `$top` windows (`$skip` moving on by a window), and within a window follows `__next` as
 * long as the server splits it: classic Gateway services may answer a window whole and ignore
 * server paging, RAP services cap pages and link the rest (sheet §1.7). A window that comes back
 * short is the last. Without `orderBy` the order across windows is the service's default (by key on
 * the services seen; UNVERIFIED in general), so pass `orderBy` where the order must be stable.
 */
async function* query(ctx: Context, entity: string, q: Query): AsyncIterable<EntityRecord> {
  const options = {
    $filter: q.raw === undefined ? buildFilter(q.where) : bindFilter(q.raw),
    $select: q.select?.map(propertyPath).join(','),
    $orderby: q.orderBy
      ?.map(({ field, direction }) => `${propertyPath(field)} ${direction ?? 'asc'}`)
      .join(','),
  }
  const path = propertyName(entity)
  const pageSize = Math.min(q.pageSize ?? ctx.options.pageSize, MAX_PAGE_SIZE)
  let remaining = q.limit ?? Number.POSITIVE_INFINITY
  for (let skip = 0; remaining > 0; skip += pageSize) {
    const top = Math.min(pageSize, remaining)
    let page = readBody(
      collectionEnvelopeSchema,
      await ctx.request({ path, query: { ...options, $top: top, $skip: skip === 0 ? undefined : skip } }),
    )
    let served = 0
    for (;;) {
      for (const raw of page.d.results.slice(0, top - served)) {
        served++
        remaining--
        yield toRecord(raw)
      }
      if (page.d.__next === undefined || served >= top) break
      page = readBody(
        collectionEnvelopeSchema,
        await ctx.request({ url: sameOrigin(page.d.__next, ctx.options.serviceRoot) }),
      )
    }
    if (served < top) return
  }
}

// `__next` is absolute and names the host as the backend sees it, which behind a proxy is not the one
// the connector talks to; and credentials must never follow a link to another host. So only its path
// and query are taken, on the service root's origin.
function sameOrigin(next: string, serviceRoot: string): string {
  const link = new URL(next, serviceRoot)
  return `${new URL(serviceRoot).origin}${link.pathname}${link.search}`
}
