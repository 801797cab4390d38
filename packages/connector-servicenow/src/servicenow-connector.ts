import {
  ConfigError,
  type Connector,
  type ConnectorContext,
  defineConnector,
  type EntityRecord,
  isJunctionError,
  JunctionError,
  type Query,
  type RecordId,
  rateLimitHeadersQuota,
  TransportError,
  ValidationError,
  type WriteResult,
  writeEach,
} from '@junction/core'
import type { z } from 'zod'
import {
  buildEncodedQuery,
  encodedQueryValue,
  fieldName,
  rawEncodedQuery,
  tableName,
} from './encoded-query.js'
import { mapServiceNowError } from './servicenow-errors.js'
import { type ServiceNowOptions, servicenowOptionsShape } from './servicenow-options.js'
import { listEnvelopeSchema, readBody, recordEnvelopeSchema } from './servicenow-responses.js'

type Options = z.output<z.ZodObject<typeof servicenowOptionsShape>>
type Context = ConnectorContext<Options, undefined>

// Reference fields come back as their sys_id rather than `{link, value}` (sheet §2.3), so records
// are flat field maps.
const READ_PARAMS = { sysparm_exclude_reference_link: true }

const connect = defineConnector({
  system: 'servicenow',
  options: servicenowOptionsShape,
  mapError: mapServiceNowError,
  // Rate-limit rules answer with `X-RateLimit-*` headers (sheet §8.1), fed to the limiter.
  quota: rateLimitHeadersQuota,
  setup(options, auth) {
    if (auth === undefined) throw new ConfigError({ message: 'servicenow needs auth', option: 'auth' })
    if ((options.instance === undefined) === (options.baseUrl === undefined)) {
      throw new ConfigError({
        message: 'servicenow needs exactly one of instance or baseUrl',
        option: 'instance',
      })
    }
    return undefined
  },
  baseUrl: (ctx) => ctx.options.baseUrl ?? `https://${ctx.options.instance}.service-now.com`,
  get,
  query,
  create,
})

/** A ServiceNow connector (Table API), e.g. `servicenow({ instance: 'acme', auth: { type: 'basic', … } })`. */
export function servicenow(options: ServiceNowOptions): Connector {
  return connect(options)
}

async function get(ctx: Context, table: string, id: RecordId): Promise<EntityRecord | undefined> {
  if (typeof id !== 'string' || id === '') {
    throw new ValidationError({
      message: 'servicenow get: id must be a sys_id',
      system: 'servicenow',
      operation: 'get',
    })
  }
  try {
    const response = await ctx.request({
      path: `api/now/table/${tableName(table)}/${encodeURIComponent(id)}`,
      query: READ_PARAMS,
    })
    return readBody(recordEnvelopeSchema, response).result
  } catch (error) {
    if (isJunctionError(error, 'NOT_FOUND')) return undefined
    throw error
  }
}

/**
 * Keyset paging on sys_id (sheet §3.3): each page asks for `<filter>^sys_id><last>^ORDERBYsys_id`, so
 * rows inserted or deleted meanwhile cannot shift the window, and stops at an empty page. A short page
 * does not end the read: ACLs filter rows after `sysparm_limit` is applied.
 */
async function* query(ctx: Context, table: string, q: Query): AsyncIterable<EntityRecord> {
  if (q.orderBy !== undefined && q.orderBy.length > 0) {
    throw new JunctionError({
      code: 'NOT_SUPPORTED',
      message: 'servicenow query: orderBy is not supported yet (pages are read in sys_id order)',
      system: 'servicenow',
      operation: 'query',
      entity: table,
    })
  }
  const path = `api/now/table/${tableName(table)}`
  const filter = q.raw === undefined ? buildEncodedQuery(q.where) : [rawEncodedQuery(q.raw)].filter(Boolean)
  const fields =
    q.select === undefined ? undefined : [...new Set([...q.select.map(fieldName), 'sys_id'])].join(',')
  const pageSize = q.pageSize ?? ctx.options.pageSize
  let remaining = q.limit ?? Number.POSITIVE_INFINITY
  let last: string | undefined
  while (remaining > 0) {
    const keyset = last === undefined ? [] : [`sys_id>${encodedQueryValue(last)}`]
    const response = await ctx.request({
      path,
      query: {
        ...READ_PARAMS,
        sysparm_query: [...filter, ...keyset, 'ORDERBYsys_id'].join('^'),
        sysparm_fields: fields,
        sysparm_limit: Math.min(pageSize, remaining),
        // Keyset paging needs neither the count query nor the Link header.
        sysparm_no_count: true,
        sysparm_suppress_pagination_header: true,
      },
    })
    const rows = readBody(listEnvelopeSchema, response).result
    if (rows.length === 0) return
    for (const row of rows.slice(0, remaining)) {
      remaining--
      yield row
    }
    last = nextKey(rows, last, response.status)
  }
}

// The last row's sys_id, which must move forward, or the read would loop on the same page.
function nextKey(rows: readonly EntityRecord[], last: string | undefined, status: number): string {
  const key = rows.at(-1)?.sys_id
  if (typeof key !== 'string' || (last !== undefined && key <= last)) {
    throw new TransportError({
      code: 'MALFORMED_RESPONSE',
      message: 'servicenow query: a page did not end with a sys_id past the previous page',
      status,
      system: 'servicenow',
      operation: 'query',
    })
  }
  return key
}

// One POST per record, in order: the Table API processes only the first record of a body (sheet §0).
async function create(ctx: Context, table: string, records: readonly EntityRecord[]): Promise<WriteResult[]> {
  const path = `api/now/table/${tableName(table)}`
  return writeEach(records, async (record) => {
    const response = await ctx.request({
      method: 'POST',
      path,
      query: READ_PARAMS,
      body: { type: 'json', value: record },
    })
    const created = readBody(recordEnvelopeSchema, response).result
    return { ok: true, id: typeof created.sys_id === 'string' ? created.sys_id : undefined }
  })
}
