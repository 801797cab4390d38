import { createSimulator, type Simulator } from '@junction/core/testing'
import { http } from 'msw'
import { EncodedQueryNotSupported, parseEncodedQuery } from './encoded-query-parser.js'
import { aggregateApi } from './handlers/aggregate-api.js'
import { AttachmentApi } from './handlers/attachment-api.js'
import { batchApi } from './handlers/batch-api.js'
import { DEFAULT_TRANSFORM_MAPS, ImportApi, type TransformMap } from './handlers/import-api.js'
import { type OAuthClientOptions, OAuthServer } from './handlers/oauth.js'
import { RateLimitRule, type RateLimitRuleOptions } from './handlers/rate-limit-rule.js'
import { errorResponse, json } from './handlers/sim-response.js'
import { tableApi } from './handlers/table-api.js'
import { ServiceNowTables, type ServiceNowTablesOptions, TableFault } from './servicenow-tables.js'
import type { ColumnSpec } from './table-schemas.js'

/** What the simulated instance holds and whom it lets in. */
export interface ServiceNowSimulatorOptions extends ServiceNowTablesOptions {
  /** The integration user's name and password (defaults `junction.sim` / `sim-password`). */
  username?: string
  password?: string
  /** An OAuth application (`/oauth_token.do`); none by default. */
  oauth?: OAuthClientOptions
  /** A REST API key accepted as `x-sn-apikey` header or query parameter (sheet §1.3); none by default. */
  apiKey?: string
  /** A rate-limit rule (sheet §8.1); none by default. */
  rateLimit?: RateLimitRuleOptions
  /** Transform maps by staging table; default: `u_incident_import` → incident, coalescing on number. */
  transformMaps?: Readonly<Record<string, readonly TransformMap[]>>
  /** insertMultiple transforms after answering (`async`, the default) or before (`sync`). */
  insertMultiple?: 'async' | 'sync'
  /** insertMultiple record keys: column labels (default) or names. */
  insertMultipleKeys?: 'label' | 'name'
  /** Batch items served before the simulated 30 s quota cuts the rest into `unserviced_requests` (default all). */
  batchMaxServiced?: number
  /** The session user's time zone as minutes from UTC, for date-time display values (default 0). */
  timeZoneOffsetMinutes?: number
}

/** A simulated ServiceNow instance on core's simulator (dispatcher, loopback server, faults). */
export interface ServiceNowSimulator extends Simulator {
  /** The `auth` option that matches the simulator's integration user. */
  readonly auth: { type: 'basic'; username: string; password: string }
  /** The instance's tables, for seeding and assertions. */
  readonly tables: ServiceNowTables
  /** The token endpoint and the tokens it issued. */
  readonly oauth: OAuthServer
  /** Import Set API state; `settle()` waits for async insertMultiple transforms. */
  readonly imports: ImportApi
  /** Stored attachments. */
  readonly attachments: AttachmentApi
  /** Every API call served, as `METHOD /path` (query strings left out), batch items included. */
  readonly calls: string[]
}

const TABLE = /^\/api\/now(?:\/(v\d+))?\/table\/([^/]+)(?:\/([^/]+))?$/
const IMPORT = /^\/api\/now(?:\/v\d+)?\/import\/([^/]+)(?:\/([^/]+))?$/
const STATS = /^\/api\/now(?:\/v\d+)?\/stats\/([^/]+)$/
const ATTACHMENT = /^\/api\/now(?:\/v\d+)?\/attachment\/?(.*)$/
const BATCH = /^\/api\/now\/v1\/batch$/

/**
 * msw handlers that behave like a ServiceNow instance (sheet §11): Table API with the display-value
 * matrix, encoded queries, `Link` / `X-Total-Count`, ACL-short pages; Import Sets with transform maps;
 * Aggregate; Batch; Attachments; basic, OAuth and API-key auth; a rate-limit rule. Faults (HTML page,
 * quota cancellation, 429…) come from `sim.faults` with `serviceNowFaults`.
 */
export function servicenowSimulator(options: ServiceNowSimulatorOptions = {}): ServiceNowSimulator {
  const username = options.username ?? 'junction.sim'
  const password = options.password ?? 'sim-password'
  const tables = new ServiceNowTables(options, username)
  const users = new Map([[username, password]])
  const oauth = new OAuthServer(options.oauth, users, Date.now)
  const rule = options.rateLimit === undefined ? undefined : new RateLimitRule(options.rateLimit, Date.now)
  const imports = new ImportApi(
    tables,
    {
      transformMaps: options.transformMaps ?? DEFAULT_TRANSFORM_MAPS,
      insertMultiple: options.insertMultiple ?? 'async',
      insertMultipleKeys: options.insertMultipleKeys ?? 'label',
    },
    username,
  )
  const attachments = new AttachmentApi(tables, username)
  const calls: string[] = []
  const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
  const context = { tables, user: username, timeZoneOffsetMinutes: options.timeZoneOffsetMinutes ?? 0 }

  const authenticated = (request: Request): boolean => {
    const header = request.headers.get('authorization') ?? ''
    if (header === basic) return true
    if (header.startsWith('Bearer ') && oauth.userOf(header.slice(7)) !== undefined) return true
    const key = request.headers.get('x-sn-apikey') ?? new URL(request.url).searchParams.get('x-sn-apikey')
    return options.apiKey !== undefined && key === options.apiKey
  }

  const route = async (request: Request, pathname: string): Promise<Response> => {
    let match = TABLE.exec(pathname)
    if (match !== null) {
      const [, version, table = '', sysId] = match
      if (table === 'sys_dictionary' && sysId === undefined) return dictionary(request)
      return tableApi(context, request, version, table, sysId)
    }
    if (BATCH.test(pathname) && request.method === 'POST') {
      return batchApi(request, (inner) => serve(inner), options.batchMaxServiced ?? Number.POSITIVE_INFINITY)
    }
    match = IMPORT.exec(pathname)
    if (match !== null) return imports.handle(request, match[1] ?? '', match[2])
    match = STATS.exec(pathname)
    if (match !== null && request.method === 'GET') return aggregateApi(tables, request, match[1] ?? '')
    match = ATTACHMENT.exec(pathname)
    if (match !== null) return attachments.handle(request, match[1] ?? '')
    throw new TableFault(400, 'Requested URI does not represent any resource', null)
  }

  // sys_dictionary, read-only and derived from the tables' columns: what `describe` reads.
  const dictionary = (request: Request): Response => {
    const conditions = parseEncodedQuery(
      new URL(request.url).searchParams.get('sysparm_query') ?? '',
    ).groups.flat(2)
    const name = conditions.find(
      (condition) => condition.field === 'name' && condition.operator === '=',
    )?.value
    if (name === undefined || !tables.has(name)) return json(200, { result: [] })
    return json(200, {
      result: [...tables.columns(name)].map(([element, spec]) => ({
        name,
        element,
        internal_type: internalType(spec),
        reference: spec.reference ?? '',
        column_label: spec.label ?? element,
      })),
    })
  }

  const serve = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url)
    calls.push(`${request.method} ${pathname}`)
    if (!authenticated(request)) {
      return errorResponse(
        new TableFault(401, 'User Not Authenticated', 'Required to provide Auth information'),
      )
    }
    const limited = rule?.check(request.method, pathname)
    if (limited?.exceeded) {
      return errorResponse(
        new TableFault(429, 'Rate limit exceeded', rule?.detail() ?? null),
        limited.headers,
      )
    }
    try {
      const response = await route(request, pathname)
      for (const [name, value] of Object.entries(limited?.headers ?? {})) response.headers.set(name, value)
      return response
    } catch (error) {
      if (error instanceof TableFault) return errorResponse(error, limited?.headers)
      if (error instanceof EncodedQueryNotSupported)
        return errorResponse(new TableFault(400, error.message, null))
      throw error
    }
  }

  // sys_dictionary's internal types: choices are stored as their value's type, journals as journal_input.
  const internalType = (spec: ColumnSpec): string => {
    if (spec.type === 'choice') {
      return Object.keys(spec.choices ?? {}).every((value) => /^\d+$/.test(value)) ? 'integer' : 'string'
    }
    if (spec.type === 'journal') return 'journal_input'
    return spec.type ?? 'string'
  }

  const handlers = [
    http.post('*/oauth_token.do', ({ request }) => oauth.token(request)),
    http.all('*/api/now/*', ({ request }) => serve(request)),
  ]

  // Object.assign keeps the base's lazy `dispatcher` getter, which a spread would call.
  return Object.assign(createSimulator({ handlers }), {
    auth: { type: 'basic', username, password } as const,
    tables,
    oauth,
    imports,
    attachments,
    calls,
  })
}
