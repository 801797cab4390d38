import { randomUUID } from 'node:crypto'
import type { Fault } from '@junction/core/testing'
import { createSimulator, type Simulator } from '@junction/core/testing'
import { type HttpHandler, HttpResponse, http } from 'msw'
import { handleBatch } from './batch-endpoint.js'
import { CsrfGuard } from './csrf-guard.js'
import { handleOData, requireJson } from './odata-endpoint.js'
import { SERVICES, type SimServiceDefinition } from './service-catalog.js'
import { ODataFault } from './sim-fault.js'
import { errorResponse, type SimRequest, type SimResponse } from './sim-http.js'
import { SimService } from './sim-service.js'
import { type SimFunction, SoapEndpoint } from './soap-endpoint.js'

/** What the simulated system holds, whom it lets in, and how it behaves. */
export interface SapSimulatorOptions {
  /**
   * Seed records by entity set name, across the simulated services: API_BUSINESS_PARTNER
   * (`A_BusinessPartner`, `A_BusinessPartnerAddress`, `A_Customer`, `A_Supplier`), API_SALES_ORDER_SRV
   * (`A_SalesOrder`, `A_SalesOrderItem`), API_PRODUCT_SRV (`A_Product`) and the V4 sales order service
   * (`SalesOrder`, `SalesOrderItem`). Values as V2 JSON (`/Date(ms)/`, decimals as text) or plain
   * (`Date`, numbers).
   */
  entitySets?: Readonly<Record<string, readonly Record<string, unknown>[]>>
  /** The client (mandant) it serves (default `100`); another `sap-client` gets 401. */
  client?: string
  /** The technical user's name and password (defaults `JUNCTION_SIM` / `sim-password`). */
  username?: string
  password?: string
  /** Also accept OAuth2 client-credentials tokens from `<origin>/oauth/token` for this client. */
  oauth?: { clientId: string; clientSecret: string }
  /** Most entities in one page; more come through `__next` / `@odata.nextLink` (default 1000). */
  maxPageSize?: number
  /** Answer a CSRF `HEAD` with 405 and no token, as some systems do (issues #2430, #5856). */
  csrfHeadNotAllowed?: boolean
  /** The clock for change stamps and ETags (default `Date.now`). */
  now?: () => number
  /** Extra SOAP-RFC function modules, by name. */
  functions?: Readonly<Record<string, SimFunction>>
}

/** A simulated SAP system: OData V2 and V4 services and a SOAP-RFC endpoint, on core's simulator. */
export interface SapSimulator extends Simulator {
  /** The `auth` option that matches the simulator's technical user. */
  readonly auth: { type: 'basic'; username: string; password: string }
  /** The API_BUSINESS_PARTNER service root path; prefix it with any origin. */
  readonly servicePath: string
  /** Every simulated service's root path, by service name. */
  readonly servicePaths: Readonly<Record<string, string>>
  /** The data of a service, by service name (e.g. `API_SALES_ORDER_SRV`). */
  service(name: string): SimService
  /** Ends every CSRF session, so the next write is refused with `x-csrf-token: Required`. */
  expireSessions(): void
}

/** An Apigee quota violation as SAP API Management answers it by default: 500 + `policies.ratelimit.*` (sheet §6). */
export function quotaViolationFault(fault: Omit<Fault, 'status' | 'body'> = {}): Fault {
  return {
    ...fault,
    status: 500,
    headers: { 'content-type': 'application/json' },
    body: {
      fault: {
        faultstring: 'Rate limit quota violation. Quota limit exceeded. Identifier : _default',
        detail: { errorcode: 'policies.ratelimit.QuotaViolation' },
      },
    },
  }
}

/**
 * msw handlers that behave like an SAP S/4HANA system (sheet §10), for any host: API_BUSINESS_PARTNER,
 * API_SALES_ORDER_SRV and API_PRODUCT_SRV over OData V2 and a sales order service over V4, each with
 * `$metadata`, the `$filter` subset, paging with `$skiptoken`, the CSRF protocol, ETags (428 / 412),
 * `$batch`, V2/V4 error bodies and `sap-message` headers; a SOAP-RFC endpoint with a read BAPI
 * (`BAPI_MATERIAL_GET_DETAIL`) and a write BAPI (`BAPI_SALESORDER_CREATEFROMDAT2`, committed by
 * `BAPI_TRANSACTION_COMMIT`); basic auth (and optionally OAuth2 client credentials) and `sap-client`.
 * Faults come from core's injector (`sim.faults`), plus `quotaViolationFault()`.
 */
export function sapSimulator(options: SapSimulatorOptions = {}): SapSimulator {
  const client = options.client ?? '100'
  const username = options.username ?? 'JUNCTION_SIM'
  const password = options.password ?? 'sim-password'
  const maxPageSize = options.maxPageSize ?? 1000
  const now = options.now ?? Date.now
  const services = new Map(SERVICES.map((definition) => [definition.name, new SimService(definition, now)]))
  for (const [setName, records] of Object.entries(options.entitySets ?? {}))
    ownerOf(services, setName).seed(setName, records)
  const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
  const tokens = new Set<string>()
  const csrf = new CsrfGuard(`SAP_SESSIONID_SIM_${client}`)
  const soap = new SoapEndpoint(
    () => services.get('API_PRODUCT_SRV') as SimService,
    () => services.get('API_SALES_ORDER_SRV') as SimService,
    options.functions ?? {},
  )

  const authorized = (request: Request): boolean => {
    const header = request.headers.get('authorization') ?? ''
    return header === basic || (header.startsWith('Bearer ') && tokens.has(header.slice(7)))
  }
  const clientOk = (request: Request): boolean => {
    const asked =
      new URL(request.url).searchParams.get('sap-client') ?? request.headers.get('sap-client') ?? client
    return asked === client
  }

  const oauth = options.oauth
  const handlers: HttpHandler[] = [
    http.post('*/sap/bc/soap/rfc', async ({ request }) => {
      if (!authorized(request) || !clientOk(request)) return unauthorized(client)
      const answer = soap.handle(await request.text(), request.headers.get('cookie') ?? undefined)
      return new HttpResponse(answer.body, { status: answer.status, headers: answer.headers })
    }),
    http.all(
      ({ request }) => locate(services, new URL(request.url)) !== undefined,
      async ({ request }) => {
        const url = new URL(request.url)
        const found = locate(services, url) as Located
        if (!authorized(request) || !clientOk(request)) return unauthorized(client)
        const sim: SimRequest = {
          method: request.method.toUpperCase(),
          url,
          headers: Object.fromEntries(
            [...request.headers].map(([name, value]) => [name.toLowerCase(), value]),
          ),
          body: request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text(),
        }
        const base = `${url.origin}${found.root}`
        const fetchToken = sim.headers['x-csrf-token']?.toLowerCase() === 'fetch'
        if (sim.method === 'HEAD' && options.csrfHeadNotAllowed === true)
          return toResponse({ status: 405, headers: {}, body: '' })
        const refusal = csrf.check(sim)
        if (refusal !== undefined) return toResponse(refusal)
        const run = (inner: SimRequest, resource: string): SimResponse => {
          const notJson = requireJson(inner, resource)
          if (notJson !== undefined)
            return errorResponse(notJson, found.service.definition.name, found.service.definition.version)
          return handleOData(found.service, inner, resource, base, { maxPageSize })
        }
        let answer: SimResponse
        if (found.resource === '$batch') {
          answer =
            sim.method === 'POST'
              ? handleBatch(found.service, sim, base, run)
              : errorResponse(
                  new ODataFault(405, '/IWBEP/CM_MGW_RT/002', '$batch accepts POST only'),
                  found.service.definition.name,
                  found.service.definition.version,
                )
        } else {
          answer = run(sim.method === 'HEAD' ? { ...sim, method: 'GET' } : sim, found.resource)
        }
        // The token comes back even when the request itself failed (sheet §3.2).
        if (fetchToken && (sim.method === 'GET' || sim.method === 'HEAD')) {
          const issued = csrf.issue(sim)
          answer.headers['x-csrf-token'] = issued.token
          if (issued.setCookie !== undefined) answer.headers['set-cookie'] = issued.setCookie
        }
        if (sim.method === 'HEAD') answer = { ...answer, body: '' }
        return toResponse(answer, client)
      },
    ),
  ]

  // The token endpoint exists only when OAuth is configured, so it never shadows another system's.
  if (oauth !== undefined) {
    handlers.unshift(
      http.post('*/oauth/token', async ({ request }) => {
        const form = new URLSearchParams(await request.text())
        const [id, secret] = clientCredentials(request, form)
        if (
          id !== oauth.clientId ||
          secret !== oauth.clientSecret ||
          form.get('grant_type') !== 'client_credentials'
        ) {
          return HttpResponse.json({ error: 'invalid_client' }, { status: 401 })
        }
        const token = randomUUID()
        tokens.add(token)
        return HttpResponse.json({ access_token: token, token_type: 'bearer', expires_in: 3600 })
      }),
    )
  }

  // Object.assign keeps the base's lazy `dispatcher` getter, which a spread would call.
  return Object.assign(createSimulator({ handlers }), {
    auth: { type: 'basic', username, password } as const,
    servicePath: '/sap/opu/odata/sap/API_BUSINESS_PARTNER',
    servicePaths: Object.fromEntries(SERVICES.map((definition) => [definition.name, definition.path])),
    service(name: string): SimService {
      const service = services.get(name)
      if (service === undefined)
        throw new Error(`sapSimulator: no service ${name}; it has ${[...services.keys()].join(', ')}`)
      return service
    },
    expireSessions: () => csrf.expire(),
  })
}

interface Located {
  service: SimService
  root: string
  resource: string
}

// The service whose root the path is under; `;v=0002` after the V2 service name is accepted (sheet §0).
function locate(services: ReadonlyMap<string, SimService>, url: URL): Located | undefined {
  const path = url.pathname
  for (const service of services.values()) {
    const root = service.definition.path
    const versioned = new RegExp(`^${escapeRegExp(root)}(;v=\\d{4})?(?=/|$)`).exec(path)
    if (versioned === null) continue
    const rootPath = versioned[0]
    return {
      service,
      root: rootPath,
      resource: decodeURIComponent(path.slice(rootPath.length).replace(/^\//, '')),
    }
  }
  return undefined
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function ownerOf(services: ReadonlyMap<string, SimService>, setName: string): SimService {
  for (const service of services.values()) if (service.has(setName)) return service
  const known = SERVICES.flatMap((definition: SimServiceDefinition) => definition.sets.map((set) => set.name))
  throw new Error(`sapSimulator: entity set ${setName} is not simulated; it knows ${known.join(', ')}`)
}

function clientCredentials(request: Request, form: URLSearchParams): [string | null, string | null] {
  const header = request.headers.get('authorization')
  if (header?.startsWith('Basic ')) {
    const [id = '', secret = ''] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')
    return [decodeURIComponent(id), decodeURIComponent(secret)]
  }
  return [form.get('client_id'), form.get('client_secret')]
}

function toResponse(answer: SimResponse, client?: string): Response {
  const headers = new Headers(answer.headers)
  // The client comes back in the `sap-usercontext` cookie (seen in mocks, sheet §3.2).
  if (client !== undefined) headers.append('set-cookie', `sap-usercontext=sap-client=${client}; path=/`)
  return new HttpResponse(answer.status === 204 || answer.body === '' ? null : answer.body, {
    status: answer.status,
    headers,
  })
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
