import type { EntityRecord } from '@junction/core'
import { parseEncodedQuery } from '../encoded-query-parser.js'
import { displayColumn, type Presentation, presentRow } from '../present-record.js'
import { type ServiceNowTables, TableFault } from '../servicenow-tables.js'
import { count, empty, json, jsonObject } from './sim-response.js'

// Sheet §2.2: without sysparm_limit the Table API returns up to 10,000 rows.
const DEFAULT_LIMIT = 10_000

/** What the Table API handlers need from the simulator. */
export interface TableApiContext {
  tables: ServiceNowTables
  user: string
  timeZoneOffsetMinutes: number
}

/** `/api/now[/vN]/table/{table}[/{sys_id}]`: GET list and row, POST, PUT, PATCH, DELETE (sheet §2.1). */
export async function tableApi(
  context: TableApiContext,
  request: Request,
  version: string | undefined,
  table: string,
  sysId: string | undefined,
): Promise<Response> {
  const url = new URL(request.url)
  const how = presentation(context, url)
  const { tables, user } = context
  const method = request.method.toUpperCase()
  const quiet = request.headers.get('x-no-response-body') === 'true'
  if (sysId === undefined) {
    if (method === 'GET' || method === 'HEAD') return list(context, url, version, table, how)
    if (method !== 'POST') throw new TableFault(405, 'Method not Supported', null)
    const row = tables.insert(table, inputValues(context, table, url, await jsonObject(request)), user)
    const location = `${url.origin}${url.pathname}/${row.sys_id}`
    if (quiet) return empty(201, { location })
    return json(201, { result: presentRow(tables, table, row, how) }, { location })
  }
  switch (method) {
    case 'GET':
    case 'HEAD':
      return json(200, { result: presentRow(tables, table, tables.find(table, sysId), how) })
    case 'PUT':
    case 'PATCH': {
      const row = tables.update(
        table,
        sysId,
        inputValues(context, table, url, await jsonObject(request)),
        user,
      )
      return quiet ? empty(200) : json(200, { result: presentRow(tables, table, row, how) })
    }
    case 'DELETE':
      tables.delete(table, sysId, user)
      return empty(204)
    default:
      throw new TableFault(405, 'Method not Supported', null)
  }
}

function list(
  context: TableApiContext,
  url: URL,
  version: string | undefined,
  table: string,
  how: Presentation,
) {
  const { tables } = context
  const params = url.searchParams
  const rows = tables.query(table, parseEncodedQuery(params.get('sysparm_query') ?? pairQuery(params)))
  const limit = count(params.get('sysparm_limit'), DEFAULT_LIMIT)
  const offset = count(params.get('sysparm_offset'), 0)
  // sysparm_limit is applied before ACL evaluation, so a page can come back short, even empty (sheet §3.2).
  const page = rows.slice(offset, offset + limit).filter((row) => !tables.hidden(table, row))
  const headers: Record<string, string> = {}
  // UNVERIFIED: with sysparm_no_count=true the count is skipped and X-Total-Count is left out.
  if (params.get('sysparm_no_count') !== 'true') headers['x-total-count'] = String(rows.length)
  if (params.get('sysparm_suppress_pagination_header') !== 'true')
    headers.link = linkHeader(url, limit, offset, rows.length)
  // v1 answers 404 when a valid query matches nothing; later versions 200 with [] (sheet §0).
  if (version === 'v1' && rows.length === 0) {
    throw new TableFault(
      404,
      'No Record found',
      'Records matching query not found. Check query parameter or offset parameter',
    )
  }
  return json(200, { result: page.map((row) => presentRow(tables, table, row, how)) }, headers)
}

// `&active=true&state=2`: name=value pairs, the alternative to sysparm_query (sheet §2.2), ANDed as `=`.
function pairQuery(params: URLSearchParams): string {
  const pairs = [...params].filter(([name]) => !name.startsWith('sysparm_') && name !== 'x-sn-apikey')
  if (pairs.some(([, value]) => value.includes('^'))) {
    throw new TableFault(400, 'Invalid query', 'A name=value filter cannot contain "^"')
  }
  return pairs.map(([name, value]) => `${name}=${value}`).join('^')
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

/** The response shape the request's parameters ask for. */
export function presentation(context: TableApiContext, url: URL): Presentation {
  const params = url.searchParams
  const display = params.get('sysparm_display_value')
  return {
    displayValue: display === 'true' || display === 'all' ? display : 'false',
    excludeReferenceLink: params.get('sysparm_exclude_reference_link') === 'true',
    fields: params.get('sysparm_fields')?.split(',').filter(Boolean),
    origin: url.origin,
    timeZoneOffsetMinutes: context.timeZoneOffsetMinutes,
  }
}

// sysparm_input_display_value=true: references may be given by display value, choices by label (sheet §2.2).
function inputValues(context: TableApiContext, table: string, url: URL, body: EntityRecord): EntityRecord {
  if (url.searchParams.get('sysparm_input_display_value') !== 'true') return body
  const { tables } = context
  const columns = tables.columns(table)
  const values: EntityRecord = { ...body }
  for (const [field, value] of Object.entries(body)) {
    const spec = columns.get(field)
    if (typeof value !== 'string' || value === '' || spec === undefined) continue
    if (spec.type === 'choice') {
      const match = Object.entries(spec.choices ?? {}).find(([, label]) => label === value)
      if (match !== undefined) values[field] = match[0]
    } else if (spec.type === 'reference' && spec.reference !== undefined && tables.has(spec.reference)) {
      if (tables.lookup(spec.reference, value) !== undefined) continue
      const column = displayColumn(tables, spec.reference)
      const found = tables.findBy(spec.reference, { [column]: value })
      values[field] = found?.sys_id ?? ''
    }
  }
  return values
}
