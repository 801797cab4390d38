import { randomUUID } from 'node:crypto'
import type { EntityRecord } from '@junction/core'
import { createSimulator, type Simulator } from '@junction/core/testing'
import { HttpResponse, http } from 'msw'
import { type ODataCondition, ODataSyntaxError, parseFilter, parseKeyPredicate } from './odata-parser.js'
import { ODataFault, type SapEntitySet, SapService } from './sap-service.js'

/** What the simulated service holds and whom it lets in. */
export interface SapSimulatorOptions {
  /** Entity sets by name: records alone for the API_BUSINESS_PARTNER sets it knows, else `{ keys, records }`. */
  entitySets?: Readonly<Record<string, readonly EntityRecord[] | SapEntitySet>>
  /** The service name under `/sap/opu/odata/sap/` (default `API_BUSINESS_PARTNER`). */
  service?: string
  /** The client (mandant) it serves (default `100`); another `sap-client` gets 401. */
  client?: string
  /** The technical user's name and password (defaults `JUNCTION_SIM` / `sim-password`). */
  username?: string
  password?: string
  /** Most entities in one response; more come through `__next` (default 1000, UNVERIFIED for classic services). */
  maxPageSize?: number
}

/** A simulated SAP Gateway OData V2 service on core's simulator (dispatcher, loopback server, faults). */
export interface SapSimulator extends Simulator {
  /** The `auth` option that matches the simulator's technical user. */
  readonly auth: { type: 'basic'; username: string; password: string }
  /** The service root path, e.g. `/sap/opu/odata/sap/API_BUSINESS_PARTNER`; prefix it with any origin. */
  readonly servicePath: string
  /** The simulated service's data. */
  readonly service: SapService
}

/**
 * msw handlers that behave like one SAP Gateway OData V2 service (sheet §10), for any host: GET by
 * key and GET of a collection with the `$filter` subset the connector emits, `$select`, `$orderby`,
 * `$top`/`$skip` windows split into `$skiptoken` pages linked by `__next`, the V2 JSON envelope and
 * error body, and a basic-auth and `sap-client` check.
 */
export function sapSimulator(options: SapSimulatorOptions = {}): SapSimulator {
  const name = options.service ?? 'API_BUSINESS_PARTNER'
  const client = options.client ?? '100'
  const username = options.username ?? 'JUNCTION_SIM'
  const password = options.password ?? 'sim-password'
  const maxPageSize = options.maxPageSize ?? 1000
  const service = new SapService(name, options.entitySets ?? { A_BusinessPartner: [] })
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`

  const handler = http.get('*/sap/opu/odata/sap/:service/:resource', ({ request, params }) => {
    if (request.headers.get('authorization') !== expected) return unauthorized(client)
    const url = new URL(request.url)
    const asked = url.searchParams.get('sap-client') ?? request.headers.get('sap-client') ?? client
    if (asked !== client) return unauthorized(client)
    try {
      if (String(params.service).split(';')[0] !== name) {
        throw new ODataFault(
          404,
          '/IWFND/MED/170',
          `No service found for namespace '/SAP/', name '${String(params.service)}', version '0001'`,
        )
      }
      const resource = /^([A-Za-z_][A-Za-z0-9_]*)(\(.*\))?$/s.exec(
        decodeURIComponent(String(params.resource)),
      )
      const setName = resource?.[1]
      if (setName === undefined) throw new ODataFault(404, '/IWBEP/CM_MGW_RT/020', 'Resource not found')
      const base = `${url.origin}${url.pathname.replace(/\/[^/]*$/, '')}`
      const entity = (record: EntityRecord, select?: readonly string[]) =>
        envelopeEntity(name, base, setName, service.entitySet(setName), record, select)
      if (resource?.[2] !== undefined) {
        return json(200, { d: entity(service.find(setName, parseKeyPredicate(resource[2]))) }, client)
      }
      return collection(url, service, setName, maxPageSize, entity, client)
    } catch (error) {
      if (error instanceof ODataSyntaxError)
        return errorResponse(name, new ODataFault(400, '/IWCOR/CX_OD_PARSE_ERROR', error.message), client)
      if (error instanceof ODataFault) return errorResponse(name, error, client)
      throw error
    }
  })

  // Object.assign keeps the base's lazy `dispatcher` getter, which a spread would call.
  return Object.assign(createSimulator({ handlers: [handler] }), {
    auth: { type: 'basic', username, password } as const,
    servicePath: `/sap/opu/odata/sap/${name}`,
    service,
  })
}

// One page of a `$top`/`$skip` window: at most `maxPageSize` entities from `$skip + $skiptoken`, and
// while the window has more, a `__next` link repeating the request's options with the new `$skiptoken`.
function collection(
  url: URL,
  service: SapService,
  setName: string,
  maxPageSize: number,
  entity: (record: EntityRecord, select?: readonly string[]) => EntityRecord,
  client: string,
): Response {
  const params = url.searchParams
  const filter = params.get('$filter')
  const conditions: ODataCondition[] = filter === null ? [] : parseFilter(filter)
  const orderBy = (params.get('$orderby') ?? '')
    .split(',')
    .filter((item) => item !== '')
    .map((item) => {
      const [property = '', direction] = item.trim().split(/\s+/)
      return { property, descending: direction === 'desc' }
    })
  const select = params.get('$select')?.split(',')
  const rows = service.query(setName, conditions, orderBy)
  const skip = nonNegative(params.get('$skip'), '$skip')
  const top = params.has('$top') ? nonNegative(params.get('$top'), '$top') : Number.POSITIVE_INFINITY
  const start = skip + nonNegative(params.get('$skiptoken'), '$skiptoken')
  const windowEnd = Math.min(skip + top, rows.length)
  const end = Math.min(windowEnd, start + maxPageSize)
  const next = new URL(url)
  next.searchParams.set('$skiptoken', String(end - skip))
  return json(
    200,
    {
      d: {
        ...(params.get('$inlinecount') === 'allpages' ? { __count: String(rows.length) } : {}),
        results: rows.slice(start, end).map((record) => entity(record, select)),
        ...(end < windowEnd ? { __next: next.toString() } : {}),
      },
    },
    client,
  )
}

// The entity as V2 JSON (sheet §1.4): `__metadata` first, then the properties (only the `$select`ed
// ones when given), then each navigation property as a `__deferred` link when there is no `$select`.
function envelopeEntity(
  service: string,
  base: string,
  setName: string,
  set: SapEntitySet,
  record: EntityRecord,
  select: readonly string[] | undefined,
): EntityRecord {
  // As Gateway writes it: a single key positionally, a composite one by name (sheet §1.4, §1.6).
  const literal = (name: string) => encodeURIComponent(`'${String(record[name]).replaceAll("'", "''")}'`)
  const key =
    set.keys.length === 1
      ? literal(set.keys[0] ?? '')
      : set.keys.map((name) => `${name}=${literal(name)}`).join(',')
  const uri = `${base}/${setName}(${key})`
  const properties =
    select === undefined ? record : Object.fromEntries(select.map((name) => [name, record[name] ?? null]))
  const deferred =
    select === undefined
      ? Object.fromEntries(
          (set.navigation ?? []).map((nav) => [nav, { __deferred: { uri: `${uri}/${nav}` } }]),
        )
      : {}
  return { __metadata: { id: uri, uri, type: `${service}.${setName}Type` }, ...properties, ...deferred }
}

function nonNegative(value: string | null, name: string): number {
  if (value === null) return 0
  if (!/^\d+$/.test(value)) throw new ODataFault(400, '/IWCOR/CX_OD_PARSE_ERROR', `Invalid value for ${name}`)
  return Number(value)
}

// Gateway's logon failure is an HTML page, not OData (UNVERIFIED wording and realm).
function unauthorized(client: string): Response {
  return new HttpResponse('<html><body><h1>Logon failed</h1></body></html>', {
    status: 401,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'www-authenticate': `Basic realm="SAP NetWeaver Application Server [SIM/${client}]"`,
    },
  })
}

function errorResponse(service: string, fault: ODataFault, client: string): Response {
  return json(
    fault.status,
    {
      error: {
        code: fault.code,
        message: { lang: 'en', value: fault.message },
        innererror: {
          application: {
            component_id: '',
            service_namespace: '/SAP/',
            service_id: service,
            service_version: '0001',
          },
          transactionid: randomUUID().replaceAll('-', '').toUpperCase(),
          timestamp: new Date().toISOString().replace(/\D/g, '').slice(0, 14),
          Error_Resolution: {
            SAP_Transaction: 'Run transaction /IWFND/ERROR_LOG on SAP Gateway hub system',
            SAP_Note: 'See SAP Note 1797736 for error analysis',
          },
          errordetails: [
            { code: fault.code, message: fault.message, propertyref: '', severity: 'error', target: '' },
          ],
        },
      },
    },
    client,
    '1.0',
  )
}

// Headers as Gateway sends them (sheet §1.3); the client comes back in the `sap-usercontext` cookie.
function json(status: number, body: unknown, client: string, dataServiceVersion = '2.0'): Response {
  return new HttpResponse(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      dataserviceversion: dataServiceVersion,
      'set-cookie': `sap-usercontext=sap-client=${client}; path=/`,
    },
  })
}
