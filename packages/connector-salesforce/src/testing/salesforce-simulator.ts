import { randomBytes } from 'node:crypto'
import type { EntityRecord } from '@junction/core'
import { createSimulator, type Simulator } from '@junction/core/testing'
import { HttpResponse, http } from 'msw'
import type { SalesforceAuth } from '../salesforce-options.js'
import { ApiFault, SalesforceOrg, type SalesforceOrgOptions } from './salesforce-org.js'
import { parseSoql, SoqlSyntaxError } from './soql-parser.js'

/** What the simulated org holds and which connected app it trusts. */
export interface SalesforceSimulatorOptions extends SalesforceOrgOptions {
  /** The connected app's consumer key (default `junction-sim-client`). */
  clientId?: string
  /** The connected app's consumer secret (default `junction-sim-secret`). */
  clientSecret?: string
  /**
   * The `instance_url` token responses name (default: the origin the token request went to). Real
   * orgs log in on one host and serve the API on another; the handlers answer on any host.
   */
  instanceUrl?: string
}

/** A simulated Salesforce org: core's simulator (dispatcher, loopback server, faults) plus the org itself. */
export interface SalesforceSimulator extends Simulator {
  /** The `auth` option that matches the simulator's connected app (client credentials). */
  readonly auth: SalesforceAuth
  /** The in-memory org: inspect records, expire sessions, set API usage. */
  readonly org: SalesforceOrg
}

// Query pages hold 2,000 rows by default; `Sforce-Query-Options: batchSize` may ask for 200..2000 (§3.2).
const DEFAULT_BATCH_SIZE = 2000
const MIN_BATCH_SIZE = 200

const JSON_TYPE = 'application/json;charset=UTF-8'

/**
 * msw handlers that behave like a Salesforce org (sheet §10), for any host: the OAuth token endpoint
 * (client credentials), sObject read and create, and SOQL queries with cursor paging, each REST answer
 * carrying `Sforce-Limit-Info`.
 */
export function salesforceSimulator(options: SalesforceSimulatorOptions = {}): SalesforceSimulator {
  const clientId = options.clientId ?? 'junction-sim-client'
  const clientSecret = options.clientSecret ?? 'junction-sim-secret'
  const org = new SalesforceOrg(options)

  const handlers = [
    http.post('*/services/oauth2/token', async ({ request }) =>
      token(org, request, { clientId, clientSecret, instanceUrl: options.instanceUrl }),
    ),
    http.get(
      '*/services/data/:version/query/:locator',
      rest(org, ({ request, params }) =>
        queryMore(org, request, String(params.version), String(params.locator)),
      ),
    ),
    http.get(
      '*/services/data/:version/query',
      rest(org, ({ request, params }) => query(org, request, String(params.version))),
    ),
    http.get(
      '*/services/data/:version/sobjects/:entity/:id',
      rest(org, ({ request, params }) => {
        const fields = new URL(request.url).searchParams.get('fields')
        const record = org.retrieve(
          String(params.version),
          String(params.entity),
          String(params.id),
          fields === null ? undefined : fields.split(','),
        )
        return json(200, record)
      }),
    ),
    http.post(
      '*/services/data/:version/sobjects/:entity',
      rest(org, async ({ request, params }) => {
        const body: unknown = await request.json().catch(() => undefined)
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw new ApiFault(400, 'JSON_PARSER_ERROR', 'The request body is not a JSON object')
        }
        const id = org.insert(String(params.entity), body as EntityRecord)
        return json(201, { id, success: true, errors: [] })
      }),
    ),
  ]

  // Object.assign keeps the base's lazy `dispatcher` getter, which a spread would call.
  return Object.assign(createSimulator({ handlers }), {
    auth: { type: 'oauth2-client-credentials', clientId, clientSecret } as const,
    org,
  })
}

type Resolver = (info: {
  request: Request
  params: Record<string, string | readonly string[] | undefined>
}) => Response | Promise<Response>

// Every REST call: a live session (else 401 INVALID_SESSION_ID), one API request counted against the
// daily allocation (403 REQUEST_LIMIT_EXCEEDED past it), `Sforce-Limit-Info` on the answer.
function rest(org: SalesforceOrg, resolve: Resolver): Resolver {
  return async (info) => {
    const token = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(info.request.headers.get('authorization') ?? '')?.[1]
    if (token === undefined || !org.hasSession(token)) {
      return errorResponse(new ApiFault(401, 'INVALID_SESSION_ID', 'Session expired or invalid'))
    }
    const usage = org.countApiRequest()
    const limitInfo = { 'sforce-limit-info': `api-usage=${usage.used}/${usage.limit}` }
    if (usage.used > usage.limit) {
      return errorResponse(
        new ApiFault(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
        limitInfo,
      )
    }
    let response: Response
    try {
      response = await resolve(info)
    } catch (error) {
      if (!(error instanceof ApiFault)) throw error
      response = errorResponse(error)
    }
    response.headers.set('sforce-limit-info', limitInfo['sforce-limit-info'])
    return response
  }
}

interface ConnectedApp {
  clientId: string
  clientSecret: string
  instanceUrl: string | undefined
}

async function token(org: SalesforceOrg, request: Request, app: ConnectedApp): Promise<Response> {
  const form = new URLSearchParams(await request.text())
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]
  const [basicId, basicSecret] =
    basic === undefined ? [] : Buffer.from(basic, 'base64').toString('utf8').split(':')
  if (form.get('grant_type') !== 'client_credentials') {
    return oauthError('unsupported_grant_type', 'grant type not supported')
  }
  const id = form.get('client_id') ?? (basicId === undefined ? null : decodeURIComponent(basicId))
  const secret =
    form.get('client_secret') ?? (basicSecret === undefined ? null : decodeURIComponent(basicSecret))
  if (id !== app.clientId || secret !== app.clientSecret)
    return oauthError('invalid_client', 'invalid client credentials')
  const origin = new URL(request.url).origin
  const instanceUrl = app.instanceUrl ?? origin
  // Sheet §1.6: `issued_at` is a string of milliseconds and there is no `expires_in`.
  return json(200, {
    access_token: org.openSession(),
    signature: randomBytes(32).toString('base64'),
    scope: 'api',
    instance_url: instanceUrl,
    id: `${origin}/id/${org.orgId}AAA/0055g00000SimUsAAA`,
    token_type: 'Bearer',
    issued_at: String(Date.now()),
  })
}

function query(org: SalesforceOrg, request: Request, version: string): Response {
  const soql = new URL(request.url).searchParams.get('q')
  if (soql === null) throw new ApiFault(400, 'MALFORMED_QUERY', 'A query string has to be specified')
  let parsed: ReturnType<typeof parseSoql>
  try {
    parsed = parseSoql(soql)
  } catch (error) {
    if (error instanceof SoqlSyntaxError) throw new ApiFault(400, 'MALFORMED_QUERY', error.message)
    throw error
  }
  const rows = org.query(version, parsed)
  const size = batchSize(request)
  return page(version, rows, rows.length > size ? org.openCursor(rows) : '', 0, size)
}

function queryMore(org: SalesforceOrg, request: Request, version: string, locator: string): Response {
  const [cursorId, offset] = locator.split('-')
  const start = Number(offset)
  if (cursorId === undefined || !Number.isInteger(start)) {
    throw new ApiFault(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator')
  }
  return page(version, org.cursor(cursorId), cursorId, start, batchSize(request))
}

// Locators look like `<cursor id>-<rows so far>` (sheet §3.2).
function page(
  version: string,
  rows: EntityRecord[],
  cursorId: string,
  start: number,
  size: number,
): Response {
  const end = start + size
  const done = end >= rows.length
  return json(200, {
    totalSize: rows.length,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/${version}/query/${cursorId}-${end}` }),
    records: rows.slice(start, end),
  })
}

function batchSize(request: Request): number {
  const header = request.headers.get('sforce-query-options') ?? ''
  const asked = /batchSize=(\d+)/i.exec(header)?.[1]
  return asked === undefined
    ? DEFAULT_BATCH_SIZE
    : Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(asked)))
}

function errorResponse(fault: ApiFault, headers: Record<string, string> = {}): Response {
  const entry = {
    message: fault.message,
    errorCode: fault.errorCode,
    ...(fault.fields.length > 0 ? { fields: fault.fields } : {}),
  }
  return json(fault.status, [entry], headers)
}

// The OAuth endpoints answer errors with an object, not the REST array (sheet §1.6).
function oauthError(error: string, description: string): Response {
  return json(400, { error, error_description: description })
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new HttpResponse(JSON.stringify(body), {
    status,
    headers: { 'content-type': JSON_TYPE, ...headers },
  })
}
