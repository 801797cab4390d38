import { ApiFault } from './api-fault.js'
import { MultipleChoices, type QueryResult, type SalesforceOrg } from './salesforce-org.js'
import { jsonObject, type Route, type SimRequest, type SimResponse } from './sim-http.js'
import { globalEntry } from './sobject-schema.js'
import { parseSoql, SoqlSyntaxError } from './soql-parser.js'

// Query pages hold 2,000 rows by default; `Sforce-Query-Options: batchSize` may ask for 200..2000 (§3.2).
const DEFAULT_BATCH_SIZE = 2000
const MIN_BATCH_SIZE = 200
// `/updated` and `/deleted` look back at most 30 and 15 days (sheet §8.5).
const UPDATED_WINDOW_DAYS = 30
const DELETED_WINDOW_DAYS = 15
const DAY_MS = 86_400_000

const seg = '([^/]+)'

/** sObject CRUD, upsert, describe, `/updated`, `/deleted`, SOQL query paging and `/limits`. */
export function restRoutes(org: SalesforceOrg): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/?$/,
      handle: (request) => ({
        status: 200,
        body: Object.fromEntries(
          ['sobjects', 'query', 'queryAll', 'limits', 'composite', 'jobs'].map((name) => [
            name,
            `/services/data/${request.version}/${name}`,
          ]),
        ),
      }),
    },
    { method: 'GET', pattern: /^\/limits\/?$/, handle: () => ({ status: 200, body: limits(org) }) },
    {
      method: 'GET',
      pattern: /^\/sobjects\/?$/,
      handle: (request) => ({
        status: 200,
        body: {
          encoding: 'UTF-8',
          maxBatchSize: 200,
          sobjects: org.sobjectNames.map((name) => globalEntry(request.version, name, org.keyPrefix(name))),
        },
      }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/sobjects/${seg}/describe/?$`),
      handle: (request, [, entity]) => ({
        status: 200,
        body: org.schema(decode(entity)).describe(request.version, org.keyPrefix(decode(entity))),
      }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/sobjects/${seg}/updated/?$`),
      handle: (request, [, entity]) => {
        const [start, end] = window(org, request, UPDATED_WINDOW_DAYS)
        return {
          status: 200,
          body: { ids: org.updatedIds(decode(entity), start, end), latestDateCovered: salesforceDate(end) },
        }
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/sobjects/${seg}/deleted/?$`),
      handle: (request, [, entity]) => {
        const [start, end] = window(org, request, DELETED_WINDOW_DAYS)
        return {
          status: 200,
          body: {
            deletedRecords: org.deletedRecords(decode(entity), start, end),
            earliestDateAvailable: salesforceDate(org.now().getTime() - DELETED_WINDOW_DAYS * DAY_MS),
            latestDateCovered: salesforceDate(end),
          },
        }
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/sobjects/${seg}/?$`),
      handle: (request, [, entity]) => {
        const id = org.insert(decode(entity), jsonObject(request))
        return {
          status: 201,
          body: { id, success: true, errors: [] },
          // Whether a single create carries Location is UNVERIFIED (composite sub-results do).
          headers: { location: `/services/data/${request.version}/sobjects/${decode(entity)}/${id}` },
        }
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/sobjects/${seg}/${seg}/?$`),
      handle: (request, [, entity, id]) => {
        const fields = request.query.get('fields')
        return {
          status: 200,
          body: org.retrieve(
            request.version,
            decode(entity),
            decode(id),
            fields === null ? undefined : fields.split(','),
          ),
        }
      },
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^/sobjects/${seg}/${seg}/?$`),
      handle: (request, [, entity, id]) => {
        org.update(decode(entity), decode(id), jsonObject(request))
        return { status: 204 }
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/sobjects/${seg}/${seg}/?$`),
      handle: (_request, [, entity, id]) => {
        org.remove(decode(entity), decode(id))
        return { status: 204 }
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/sobjects/${seg}/${seg}/${seg}/?$`),
      handle: (request, [, entity, field, value]) => {
        const matches = org.findByField(decode(entity), decode(field), decode(value))
        const urls = matches.map(
          (record) => `/services/data/${request.version}/sobjects/${decode(entity)}/${String(record.Id)}`,
        )
        if (matches.length > 1) return { status: 300, body: urls }
        const [match] = matches
        if (match === undefined) throw new ApiFault(404, 'NOT_FOUND', 'The requested resource does not exist')
        return { status: 200, body: org.retrieve(request.version, decode(entity), String(match.Id)) }
      },
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^/sobjects/${seg}/${seg}/${seg}/?$`),
      handle: (request, [, entity, field, value]) =>
        upsert(org, request, decode(entity), decode(field), decode(value)),
    },
    {
      method: 'GET',
      pattern: /^\/(query|queryAll)\/?$/,
      handle: (request, [, resource]) => query(org, request, resource === 'queryAll'),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/(?:query|queryAll)/${seg}$`),
      handle: (request, [, locator]) => queryMore(org, request, decode(locator)),
    },
  ]
}

function upsert(
  org: SalesforceOrg,
  request: SimRequest,
  entity: string,
  field: string,
  value: string,
): SimResponse {
  try {
    const { id, created } = org.upsert(request.version, entity, field, value, jsonObject(request))
    if (created) return { status: 201, body: { id, success: true, errors: [], created: true } }
    // v46.0 and later answer an update with 200 and `created: false`; earlier versions with 204.
    if (apiVersion(request.version) < 46) return { status: 204 }
    return { status: 200, body: { id, success: true, errors: [], created: false } }
  } catch (error) {
    if (error instanceof MultipleChoices) return { status: 300, body: error.urls }
    throw error
  }
}

function query(org: SalesforceOrg, request: SimRequest, all: boolean): SimResponse {
  const soql = request.query.get('q')
  if (soql === null) throw new ApiFault(400, 'MALFORMED_QUERY', 'A query string has to be specified')
  let parsed: ReturnType<typeof parseSoql>
  try {
    parsed = parseSoql(soql)
  } catch (error) {
    if (error instanceof SoqlSyntaxError) throw new ApiFault(400, 'MALFORMED_QUERY', error.message)
    throw error
  }
  const result = org.query(request.version, parsed, { all })
  const size = batchSize(request)
  return page(request.version, result, result.rows.length > size ? org.openCursor(result) : '', 0, size)
}

function queryMore(org: SalesforceOrg, request: SimRequest, locator: string): SimResponse {
  const [cursorId, offset] = locator.split('-')
  const start = Number(offset)
  if (cursorId === undefined || !Number.isInteger(start)) {
    throw new ApiFault(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator')
  }
  return page(request.version, org.cursor(cursorId), cursorId, start, batchSize(request))
}

// Locators look like `<cursor id>-<rows so far>` (sheet §3.2).
function page(
  version: string,
  result: QueryResult,
  cursorId: string,
  start: number,
  size: number,
): SimResponse {
  const { rows, totalSize } = result
  const end = start + size
  const done = end >= rows.length
  return {
    status: 200,
    body: {
      totalSize,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/${version}/query/${cursorId}-${end}` }),
      records: rows.slice(start, end).map((record) => result.project(record)),
    },
  }
}

function batchSize(request: SimRequest): number {
  const asked = /batchSize=(\d+)/i.exec(request.headers.get('sforce-query-options') ?? '')?.[1]
  return asked === undefined
    ? DEFAULT_BATCH_SIZE
    : Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(asked)))
}

function window(org: SalesforceOrg, request: SimRequest, maxDays: number): [number, number] {
  const start = Date.parse(request.query.get('start') ?? '')
  const end = Date.parse(request.query.get('end') ?? '')
  if (Number.isNaN(start) || Number.isNaN(end)) {
    throw new ApiFault(400, 'MALFORMED_QUERY', 'start and end must be ISO-8601 datetimes')
  }
  if (end <= start) throw new ApiFault(400, 'INVALID_REPLICATION_DATE', 'start date must be before end date')
  if (start < org.now().getTime() - maxDays * DAY_MS) {
    throw new ApiFault(400, 'INVALID_REPLICATION_DATE', `start date cannot be more than ${maxDays} days ago`)
  }
  // Minute granularity: seconds are ignored (sheet §8.5).
  const minute = (at: number) => Math.floor(at / 60_000) * 60_000
  return [minute(start), minute(end)]
}

function limits(org: SalesforceOrg): Record<string, { Max: number; Remaining: number }> {
  const entry = (max: number, remaining = max) => ({ Max: max, Remaining: remaining })
  return {
    DailyApiRequests: entry(org.dailyApiLimit, Math.max(0, org.dailyApiLimit - org.apiUsed)),
    DailyBulkApiBatches: entry(15_000),
    DailyBulkV2QueryJobs: entry(10_000),
    DailyBulkV2QueryFileStorageMB: entry(976_562),
    DailyAsyncApexExecutions: entry(250_000),
    DataStorageMB: entry(1_073),
    FileStorageMB: entry(1_073),
  }
}

function salesforceDate(at: number): string {
  return new Date(at).toISOString().replace('Z', '+0000')
}

function apiVersion(version: string): number {
  return Number(version.replace(/^v/, ''))
}

function decode(value: string | undefined): string {
  return decodeURIComponent(value ?? '')
}
