import type { EntityRecord } from '@junction/core'
import { createSimulator, type Simulator } from '@junction/core/testing'
import { HttpResponse, http } from 'msw'
import { EncodedQueryNotSupported, parseEncodedQuery } from './encoded-query-parser.js'
import { ServiceNowTables, type ServiceNowTablesOptions, TableFault } from './servicenow-tables.js'

/** What the simulated instance holds and whom it lets in. */
export interface ServiceNowSimulatorOptions extends ServiceNowTablesOptions {
  /** The integration user's name and password (defaults `junction.sim` / `sim-password`). */
  username?: string
  password?: string
}

/** A simulated ServiceNow instance on core's simulator (dispatcher, loopback server, faults). */
export interface ServiceNowSimulator extends Simulator {
  /** The `auth` option that matches the simulator's integration user. */
  readonly auth: { type: 'basic'; username: string; password: string }
  /** The instance's tables, for assertions. */
  readonly tables: ServiceNowTables
}

// Sheet §2.2: without sysparm_limit the Table API returns up to 10,000 rows.
const DEFAULT_LIMIT = 10_000
// The exact content type ServiceNow sends (no space before charset), which some clients trip on.
const JSON_TYPE = 'application/json;charset=UTF-8'

/**
 * msw handlers that behave like a ServiceNow instance's Table API (sheet §11), for any host: GET of a
 * row and of a list (the encoded-query subset the connector emits, `sysparm_fields`, `sysparm_limit` /
 * `sysparm_offset`, `X-Total-Count`, the `Link` header with its quirks), POST answering 201 with
 * `Location`, every value a string, and a basic-auth check.
 */
export function servicenowSimulator(options: ServiceNowSimulatorOptions = {}): ServiceNowSimulator {
  const username = options.username ?? 'junction.sim'
  const password = options.password ?? 'sim-password'
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
  const tables = new ServiceNowTables(options, username)

  const guarded =
    (resolve: (request: Request, params: Record<string, string>) => Response | Promise<Response>) =>
    async ({
      request,
      params,
    }: {
      request: Request
      params: Record<string, string | readonly string[] | undefined>
    }) => {
      if (request.headers.get('authorization') !== expected) {
        return errorResponse(
          new TableFault(401, 'User Not Authenticated', 'Required to provide Auth information'),
        )
      }
      try {
        return await resolve(
          request,
          Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)])),
        )
      } catch (error) {
        if (error instanceof TableFault) return errorResponse(error)
        if (error instanceof EncodedQueryNotSupported)
          return errorResponse(new TableFault(400, error.message, null))
        throw error
      }
    }

  const handlers = [
    http.get(
      '*/api/now/table/:table/:sysId',
      guarded((request, { table = '', sysId = '' }) =>
        json(200, { result: pick(tables.find(table, sysId), fieldsOf(request)) }),
      ),
    ),
    http.get(
      '*/api/now/table/:table',
      guarded((request, { table = '' }) => list(tables, table, new URL(request.url))),
    ),
    http.post(
      '*/api/now/table/:table',
      guarded(async (request, { table = '' }) => {
        const body: unknown = await request.json().catch(() => undefined)
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw new TableFault(400, 'Exception while reading request', 'The payload is not a JSON object')
        }
        const row = tables.insert(table, body as EntityRecord)
        const url = new URL(request.url)
        return json(
          201,
          { result: pick(row, fieldsOf(request)) },
          { location: `${url.origin}${url.pathname}/${String(row.sys_id)}` },
        )
      }),
    ),
  ]

  // Object.assign keeps the base's lazy `dispatcher` getter, which a spread would call.
  return Object.assign(createSimulator({ handlers }), {
    auth: { type: 'basic', username, password } as const,
    tables,
  })
}

function list(tables: ServiceNowTables, table: string, url: URL): Response {
  const params = url.searchParams
  const rows = tables.query(table, parseEncodedQuery(params.get('sysparm_query') ?? ''))
  const limit = count(params.get('sysparm_limit'), DEFAULT_LIMIT)
  const offset = count(params.get('sysparm_offset'), 0)
  const fields = params.get('sysparm_fields')?.split(',')
  const headers: Record<string, string> = {}
  if (params.get('sysparm_no_count') !== 'true') headers['x-total-count'] = String(rows.length)
  if (params.get('sysparm_suppress_pagination_header') !== 'true')
    headers.link = linkHeader(url, limit, offset, rows.length)
  return json(200, { result: rows.slice(offset, offset + limit).map((row) => pick(row, fields)) }, headers)
}

// Sheet §3.1: absolute links with the request's params; `prev` is there on the first page too (offset
// -1), `next` is missing on the last one, and `last` starts at floor((total - 1) / limit) * limit.
function linkHeader(url: URL, limit: number, offset: number, total: number): string {
  const at = (rel: string, to: number) => {
    const link = new URL(url)
    link.searchParams.set('sysparm_limit', String(limit))
    link.searchParams.set('sysparm_offset', String(to))
    return `<${link.toString()}>;rel="${rel}"`
  }
  const last = total === 0 || limit === 0 ? 0 : Math.floor((total - 1) / limit) * limit
  return [
    at('first', 0),
    at('prev', offset - limit < 0 ? -1 : offset - limit),
    ...(offset + limit < total ? [at('next', offset + limit)] : []),
    at('last', last),
  ].join(',')
}

function fieldsOf(request: Request): string[] | undefined {
  return new URL(request.url).searchParams.get('sysparm_fields')?.split(',')
}

// Unknown names in sysparm_fields are ignored (sheet §2.2).
function pick(row: EntityRecord, fields: readonly string[] | undefined): EntityRecord {
  if (fields === undefined) return row
  return Object.fromEntries(fields.filter((field) => field in row).map((field) => [field, row[field]]))
}

function count(value: string | null, fallback: number): number {
  if (value === null || !/^\d+$/.test(value)) return fallback
  return Number(value)
}

function errorResponse(fault: TableFault): Response {
  return json(fault.status, { error: { message: fault.message, detail: fault.detail }, status: 'failure' })
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new HttpResponse(JSON.stringify(body), {
    status,
    headers: { 'content-type': JSON_TYPE, ...headers },
  })
}
