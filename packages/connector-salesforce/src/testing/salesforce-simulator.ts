import { createSimulator, type Simulator } from '@junction/core/testing'
import { HttpResponse, http } from 'msw'
import type { SalesforceAuth } from '../salesforce-options.js'
import { ApiFault } from './api-fault.js'
import { type BulkSimulatorOptions, bulkRoutes } from './bulk-routes.js'
import { collectionRoutes, compositeRoute } from './composite-routes.js'
import { type ConnectedAppOptions, OAuthEndpoint } from './oauth-endpoint.js'
import { restRoutes } from './rest-routes.js'
import { SalesforceOrg, type SalesforceOrgOptions } from './salesforce-org.js'
import { faultResponse, type Route, route, type SimRequest, type SimResponse } from './sim-http.js'

/** What the simulated org holds, which connected app it trusts, and how its Bulk API behaves. */
export interface SalesforceSimulatorOptions extends SalesforceOrgOptions, ConnectedAppOptions {
  bulk?: BulkSimulatorOptions
}

/** A simulated Salesforce org: core's simulator (dispatcher, loopback server, faults) plus the org itself. */
export interface SalesforceSimulator extends Simulator {
  /** The `auth` option that matches the simulator's connected app (client credentials). */
  readonly auth: SalesforceAuth
  /** The in-memory org: inspect records, expire sessions, set API usage. */
  readonly org: SalesforceOrg
  /** The token endpoint: count token requests, check refresh tokens. */
  readonly oauth: OAuthEndpoint
}

const JSON_TYPE = 'application/json;charset=UTF-8'
const VERSIONS = ['58.0', '59.0', '60.0', '61.0', '62.0'].map((version) => ({
  label: `v${version}`,
  url: `/services/data/v${version}`,
  version,
}))

/**
 * msw handlers that behave like a Salesforce org (sheet §10), for any host: the OAuth token endpoint
 * (client credentials, JWT bearer, refresh token, password), sObject CRUD and upsert, describe, SOQL
 * queries with cursor paging, Collections, Composite, Bulk API 2.0 ingest and query jobs, `/limits`,
 * `/updated` and `/deleted`. Every REST answer carries `Sforce-Limit-Info`; past the daily allocation
 * calls are refused with 403 `REQUEST_LIMIT_EXCEEDED`.
 */
export function salesforceSimulator(options: SalesforceSimulatorOptions = {}): SalesforceSimulator {
  const org = new SalesforceOrg(options)
  const oauth = new OAuthEndpoint(org, options)
  const routes: Route[] = [...restRoutes(org), ...collectionRoutes(org), ...bulkRoutes(org, options.bulk)]
  // Composite subrequests re-enter the router without counting as API calls (the whole call counts once).
  const dispatch = (request: SimRequest): Promise<SimResponse> => route(routes, request)
  routes.push(compositeRoute(org, dispatch))

  const handlers = [
    http.post('*/services/oauth2/token', ({ request }) => oauth.token(request)),
    http.get(/\/services\/data\/?$/, () => HttpResponse.json(VERSIONS)),
    http.all(/\/services\/data\/v\d+\.\d(?:\/|$)/, async ({ request }) => {
      const url = new URL(request.url)
      const [, version = '', path = '/'] = /^\/services\/data\/(v\d+\.\d)(\/.*)?$/.exec(url.pathname) ?? []
      const token = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]
      if (token === undefined || !org.useSession(token)) {
        return toResponse(
          faultResponse(new ApiFault(401, 'INVALID_SESSION_ID', 'Session expired or invalid')),
        )
      }
      const usage = org.countApiRequest()
      const limitInfo = `api-usage=${usage.used}/${usage.limit}`
      if (usage.used > usage.limit) {
        return toResponse(
          faultResponse(new ApiFault(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')),
          limitInfo,
        )
      }
      const answer = await route(routes, {
        method: request.method,
        path,
        version,
        query: url.searchParams,
        headers: request.headers,
        text: await request.text(),
      })
      return toResponse(answer, limitInfo)
    }),
  ]

  // Object.assign keeps the base's lazy `dispatcher` getter, which a spread would call.
  return Object.assign(createSimulator({ handlers }), {
    auth: {
      type: 'oauth2-client-credentials',
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
    } as const,
    org,
    oauth,
  })
}

function toResponse(answer: SimResponse, limitInfo?: string): Response {
  const headers: Record<string, string> = { ...answer.headers }
  if (limitInfo !== undefined) headers['sforce-limit-info'] = limitInfo
  if (answer.status === 204 || answer.body === undefined)
    return new HttpResponse(null, { status: answer.status, headers })
  const text = answer.contentType === undefined ? JSON.stringify(answer.body) : String(answer.body)
  headers['content-type'] = answer.contentType ?? JSON_TYPE
  return new HttpResponse(text, { status: answer.status, headers })
}
