import {
  ConfigError,
  type Connector,
  type ConnectorContext,
  defineConnector,
  type EntityRecord,
  isJunctionError,
  parseOptions,
  type Query,
  type RecordId,
  salesforceQuota,
  ValidationError,
  type WriteResult,
  writeEach,
} from '@junction/core'
import { z } from 'zod'
import { mapSalesforceError } from './salesforce-errors.js'
import { type SalesforceOptions, salesforceOptionsShape } from './salesforce-options.js'
import {
  queryPageSchema,
  readBody,
  recordSchema,
  saveResultSchema,
  toRecord,
} from './salesforce-responses.js'
import { isOAuthConfig, PENDING_INSTANCE, SalesforceSession } from './salesforce-session.js'
import { apiName, bindSoql, buildSoql } from './soql.js'

// Record ids: 15 characters (case-sensitive) or 18 (with the case-checksum suffix).
const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/

// `Sforce-Query-Options: batchSize` is honoured between 200 and 2000 (sheet §3.2), and only as a hint.
const MIN_BATCH_SIZE = 200
const MAX_BATCH_SIZE = 2000

interface SalesforceState {
  /** Present with OAuth: knows the instance the token belongs to. */
  session: SalesforceSession | undefined
  /** `services/data/v62.0`, relative to the instance. */
  dataPath: string
}

type Context = ConnectorContext<z.output<z.ZodObject<typeof salesforceOptionsShape>>, SalesforceState>

const connect = defineConnector({
  system: 'salesforce',
  options: salesforceOptionsShape,
  mapError: mapSalesforceError,
  // Every REST answer carries `Sforce-Limit-Info: api-usage=N/M`: the limiter learns the daily quota from it.
  quota: salesforceQuota,
  setup(options, auth): SalesforceState {
    const session = auth instanceof SalesforceSession ? auth : undefined
    if (auth === undefined) {
      throw new ConfigError({
        message: 'salesforce needs auth (an OAuth grant, or a bearer token with instanceUrl)',
        option: 'auth',
      })
    }
    if (session === undefined && options.instanceUrl === undefined) {
      throw new ConfigError({
        message: 'salesforce needs instanceUrl unless auth is an OAuth grant, whose token names the instance',
        option: 'instanceUrl',
      })
    }
    return { session, dataPath: `services/data/${options.apiVersion}` }
  },
  baseUrl: (ctx) => ctx.options.instanceUrl ?? ctx.state.session?.instanceUrl ?? PENDING_INSTANCE,
  get,
  query,
  create,
})

/**
 * A Salesforce connector (REST API). With an OAuth grant it runs against `{loginUrl}/services/oauth2/token`
 * and sends every call to the `instance_url` the token response names.
 */
export function salesforce(options: SalesforceOptions): Connector {
  const { loginUrl } = parseOptions(
    z.object({ loginUrl: salesforceOptionsShape.loginUrl }),
    options,
    'salesforce',
  )
  const auth =
    options.auth !== undefined && isOAuthConfig(options.auth)
      ? new SalesforceSession(options.auth, loginUrl)
      : options.auth
  return connect({ ...options, auth })
}

async function get(ctx: Context, entity: string, id: RecordId): Promise<EntityRecord | undefined> {
  if (typeof id !== 'string' || !RECORD_ID.test(id)) {
    throw new ValidationError({
      message: 'salesforce get: id must be a 15- or 18-character record id',
      system: 'salesforce',
      operation: 'get',
      entity,
    })
  }
  try {
    const response = await ctx.request({ path: `${ctx.state.dataPath}/sobjects/${apiName(entity)}/${id}` })
    return toRecord(readBody(recordSchema, response))
  } catch (error) {
    if (isJunctionError(error, 'NOT_FOUND')) return undefined
    throw error
  }
}

// Pages by following `nextRecordsUrl` until `done`; the caller sees one stream of records.
async function* query(ctx: Context, entity: string, q: Query): AsyncIterable<EntityRecord> {
  const soql = q.raw === undefined ? buildSoql(entity, q) : bindSoql(q.raw)
  const headers =
    q.pageSize === undefined ? undefined : { 'sforce-query-options': `batchSize=${batchSize(q.pageSize)}` }
  let remaining = q.limit ?? Number.POSITIVE_INFINITY
  let page = readBody(
    queryPageSchema,
    await ctx.request({ path: `${ctx.state.dataPath}/query`, query: { q: soql }, headers }),
  )
  for (;;) {
    for (const record of page.records) {
      if (remaining <= 0) return
      remaining--
      yield toRecord(record)
    }
    if (page.done !== false || page.nextRecordsUrl === undefined || remaining <= 0) return
    page = readBody(queryPageSchema, await ctx.request({ path: page.nextRecordsUrl, headers }))
  }
}

// One POST per record, in order, so each gets its own result and a rejected record costs only itself.
// (sObject Collections, 200 records a call, replace this when bulk writes land.)
async function create(
  ctx: Context,
  entity: string,
  records: readonly EntityRecord[],
): Promise<WriteResult[]> {
  const path = `${ctx.state.dataPath}/sobjects/${apiName(entity)}`
  return writeEach(records, async (record) => {
    const response = await ctx.request({ method: 'POST', path, body: { type: 'json', value: record } })
    const saved = readBody(saveResultSchema, response)
    return saved.success
      ? { ok: true, id: saved.id }
      : { ok: false, id: saved.id, error: rejected(entity, saved.errors) }
  })
}

// A 2xx that still says `success: false`; its errors use `statusCode`, not `errorCode` (sheet §6.1).
function rejected(
  entity: string,
  errors: ReadonlyArray<{ message: string; statusCode?: string | undefined }>,
) {
  const first = errors[0]
  return new ValidationError({
    message: first ? `${first.statusCode ?? 'ERROR'}: ${first.message}` : 'salesforce rejected the record',
    system: 'salesforce',
    operation: 'create',
    entity,
    systemCode: first?.statusCode,
    details: errors,
  })
}

function batchSize(pageSize: number): number {
  return Math.min(MAX_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Math.trunc(pageSize)))
}
