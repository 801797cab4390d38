import {
  ConfigError,
  type Connector,
  defineConnector,
  type EntityRecord,
  type OperationOptions,
  parseOptions,
  type Query,
  type RawQuery,
  type RecordId,
  type RecordOutcome,
  type RecordUpdate,
  salesforceQuota,
  ValidationError,
  type WriteOptions,
  type WriteResult,
  writeEach,
} from '@junction/core'
import { z } from 'zod'
import { bulkIngest, type IngestOperation } from './operations/bulk-ingest.js'
import { bulkQueryRecords } from './operations/bulk-query.js'
import { changedRecords, deletedRecords, updatedIds } from './operations/changes.js'
import { COLLECTION_SIZE, type CollectionWrite, writeCollections } from './operations/collections.js'
import {
  batchOperations,
  type CompositeOptions,
  type CompositeSubrequest,
  type CompositeSubresponse,
  composite,
} from './operations/composite.js'
import { dateFields, describe, limits } from './operations/describe.js'
import { getByExternalId, getRecord, soqlCount, soqlRecords } from './operations/read.js'
import { createOne, deleteOne, updateOne, upsertOne } from './operations/single-record.js'
import type { SalesforceContext, SalesforceState, SObjectDescribe } from './salesforce-context.js'
import { mapSalesforceError } from './salesforce-errors.js'
import { type SalesforceOptions, salesforceOptionsShape } from './salesforce-options.js'
import { isOAuthConfig, PENDING_INSTANCE, SalesforceSession } from './salesforce-session.js'
import { apiName, bindSoql, buildCountSoql, buildSoql } from './soql.js'

/** Salesforce-specific operations, beside the portable ones. */
export interface SalesforceExtras {
  /** `GET sobjects/{entity}/describe`, reused for `describeTtlMs`. */
  describe(entity: string, options?: OperationOptions): Promise<SObjectDescribe>
  /** Like `query`, through `/queryAll`: soft-deleted (`IsDeleted`) and archived rows too. */
  queryAll(entity: string, query?: Query, options?: OperationOptions): AsyncIterable<EntityRecord>
  /** `SELECT COUNT() FROM entity WHERE …`. */
  count(entity: string, query?: Pick<Query, 'where' | 'raw'>, options?: OperationOptions): Promise<number>
  /** One record by an external-id field; `undefined` when none; several matches are a `CONFLICT`. */
  getByExternalId(
    entity: string,
    field: string,
    value: string,
    options?: OperationOptions,
  ): Promise<EntityRecord | undefined>
  /** `GET limits`: the org's allocations, each `{Max, Remaining}`. */
  limits(options?: OperationOptions): Promise<Record<string, { Max: number; Remaining: number }>>
  /** `POST composite`: up to 25 dependent subrequests in one call, `@{referenceId.field}` references. */
  composite(
    subrequests: readonly CompositeSubrequest[],
    options?: CompositeOptions & OperationOptions,
  ): Promise<CompositeSubresponse[]>
  /** A Bulk API 2.0 query, streamed page by page with bounded memory. */
  bulkQuery(
    entity: string,
    query?: Query & { all?: boolean },
    options?: OperationOptions,
  ): AsyncIterable<EntityRecord>
  /** A Bulk API 2.0 ingest job, whatever the number of records; one result per record, in order. */
  bulkIngest(
    entity: string,
    operation: IngestOperation,
    records: readonly EntityRecord[],
    options?: OperationOptions & { externalId?: string },
  ): Promise<WriteResult[]>
  /** `GET sobjects/{entity}/updated`: ids changed between `start` and `end` (≤ 30 days back). */
  updated(
    entity: string,
    start: Date,
    end: Date,
    options?: OperationOptions,
  ): Promise<{ ids: string[]; latestDateCovered: Date }>
  /** `GET sobjects/{entity}/deleted`: records deleted between `start` and `end` (≤ 15 days back). */
  deleted(
    entity: string,
    start: Date,
    end: Date,
    options?: OperationOptions,
  ): Promise<{
    deleted: Array<{ id: string; deletedAt: Date }>
    earliestDateAvailable: Date
    latestDateCovered: Date
  }>
}

/** A Salesforce connector: the portable operations plus {@link SalesforceExtras}. */
export type SalesforceConnector = Connector & SalesforceExtras

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
    return { session, dataPath: `services/data/${options.apiVersion}`, describes: new Map() }
  },
  baseUrl: (ctx) => ctx.options.instanceUrl ?? ctx.state.session?.instanceUrl ?? PENDING_INSTANCE,
  get: (ctx, entity, id) => getRecord(ctx, entity, id),
  query: (ctx, entity, query) => readQuery(ctx, entity, query, false),
  create: (ctx, entity, records, options) =>
    write(ctx, entity, records.length, options, {
      single: (index) => createOne(ctx, entity, records[index] as EntityRecord),
      collection: { kind: 'create', records },
      bulk: { operation: 'insert', records },
    }),
  update: (ctx, entity, updates, options) => {
    const records = updates.map(updateRecord)
    return write(ctx, entity, updates.length, options, {
      single: (index) => {
        const update = records[index] as { id: string; values: EntityRecord }
        return updateOne(ctx, entity, update.id, update.values)
      },
      collection: { kind: 'update', records },
      bulk: { operation: 'update', records: records.map(({ id, values }) => ({ ...values, Id: id })) },
    })
  },
  upsert: (ctx, entity, records, options) =>
    write(ctx, entity, records.length, options, {
      single: (index) => upsertOne(ctx, entity, options.externalId, records[index] as EntityRecord),
      collection: { kind: 'upsert', externalId: options.externalId, records },
      bulk: { operation: 'upsert', records, externalId: options.externalId },
    }),
  delete: (ctx, entity, ids, options) => {
    const keys = ids.map(recordKey)
    return write(ctx, entity, ids.length, options, {
      single: (index) => deleteOne(ctx, entity, keys[index] as string),
      collection: { kind: 'delete', ids: keys },
      bulk: { operation: 'delete', records: keys.map((Id) => ({ Id })) },
    })
  },
  batch: (ctx, operations, options) => batchOperations(ctx, operations, options.atomic === true),
  changes: changedRecords,
  extend: (runner): SalesforceExtras => ({
    describe: (entity, options) =>
      runner.run({ name: 'describe', entity }, options, (ctx) => describe(ctx, entity)),
    queryAll: (entity, query = {}, options) =>
      runner.iterate({ name: 'queryAll', entity }, options, (ctx) => readQuery(ctx, entity, query, true)),
    count: (entity, query = {}, options) =>
      runner.run({ name: 'count', entity }, options, async (ctx) => {
        if (query.raw !== undefined) return soqlCount(ctx, bindSoql(query.raw))
        const dates = comparesDates(query) ? { dateFields: await dateFields(ctx, entity) } : {}
        return soqlCount(ctx, buildCountSoql(entity, query, dates))
      }),
    getByExternalId: (entity, field, value, options) =>
      runner.run({ name: 'getByExternalId', entity }, options, (ctx) =>
        getByExternalId(ctx, entity, field, value),
      ),
    limits: (options) => runner.run({ name: 'limits' }, options, (ctx) => limits(ctx)),
    composite: (subrequests, options) =>
      runner.run({ name: 'composite' }, options, (ctx) => composite(ctx, subrequests, options)),
    bulkQuery: (entity, query = {}, options) =>
      runner.iterate({ name: 'bulkQuery', entity }, options, (ctx) => bulkRead(ctx, entity, query)),
    bulkIngest: (entity, operation, records, options) =>
      runner.run({ name: 'bulkIngest', entity }, options, (ctx) =>
        bulkIngest(ctx, entity, { operation, records, externalId: options?.externalId }),
      ),
    updated: (entity, start, end, options) =>
      runner.run({ name: 'updated', entity }, options, (ctx) => updatedIds(ctx, entity, start, end)),
    deleted: (entity, start, end, options) =>
      runner.run({ name: 'deleted', entity }, options, (ctx) => deletedRecords(ctx, entity, start, end)),
  }),
})

/**
 * A Salesforce connector (REST API, Composite, Collections, Bulk API 2.0). With an OAuth grant it logs
 * in at `{loginUrl}/services/oauth2/token` and sends every call to the `instance_url` the token
 * response names; a 401 `INVALID_SESSION_ID` renews the session once (single-flight) and replays.
 */
export function salesforce(options: SalesforceOptions): SalesforceConnector {
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

function readQuery(
  ctx: SalesforceContext,
  entity: string,
  query: Query,
  all: boolean,
): AsyncIterable<EntityRecord> {
  return lazily(async () =>
    soqlRecords(ctx, await soqlFor(ctx, entity, query), {
      all,
      pageSize: query.pageSize,
      limit: query.limit,
    }),
  )
}

// An iterable whose source is known only after an await (the SOQL may need describe), passing each
// `next` straight through afterwards rather than adding a generator's promises per record.
function lazily<T>(source: () => Promise<AsyncIterable<T>>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      let inner: AsyncIterator<T> | undefined
      return {
        next() {
          if (inner !== undefined) return inner.next()
          return source().then((iterable) => {
            inner = iterable[Symbol.asyncIterator]()
            return inner.next()
          })
        },
        async return() {
          return (await inner?.return?.()) ?? { done: true, value: undefined }
        },
      }
    },
  }
}

async function* bulkRead(
  ctx: SalesforceContext,
  entity: string,
  query: Query & { all?: boolean },
): AsyncIterable<EntityRecord> {
  yield* bulkQueryRecords(ctx, await soqlFor(ctx, entity, query), { all: query.all })
}

// A `Date` compared with a `date` field must be a date literal, so the field types are looked up
// (describe, cached) only when the query compares with a Date.
async function soqlFor(ctx: SalesforceContext, entity: string, query: Query): Promise<string> {
  if (query.raw !== undefined) return bindSoql(query.raw as RawQuery)
  return buildSoql(entity, query, comparesDates(query) ? { dateFields: await dateFields(ctx, entity) } : {})
}

function comparesDates(query: Pick<Query, 'where'>): boolean {
  return Object.values(query.where ?? {}).some(
    (condition) =>
      condition instanceof Date ||
      (typeof condition === 'object' &&
        condition !== null &&
        Object.values(condition).some(
          (value) =>
            value instanceof Date || (Array.isArray(value) && value.some((item) => item instanceof Date)),
        )),
  )
}

interface WritePlan {
  single(index: number): Promise<RecordOutcome>
  collection: CollectionWrite
  bulk: { operation: IngestOperation; records: readonly EntityRecord[]; externalId?: string }
}

/**
 * One record: the single-record REST call (its own status codes). Up to `bulkThreshold`: sObject
 * Collections, 200 a call. Above it, unless `allOrNone`: a Bulk API 2.0 job. `allOrNone` is one
 * Collections call, so it covers at most 200 records.
 */
async function write(
  ctx: SalesforceContext,
  entity: string,
  count: number,
  options: WriteOptions,
  plan: WritePlan,
): Promise<WriteResult[]> {
  apiName(entity)
  if (count === 0) return []
  const allOrNone = options.allOrNone === true
  if (allOrNone && count > COLLECTION_SIZE) {
    throw new ValidationError({
      message: `salesforce: allOrNone writes go in one Collections call, at most ${COLLECTION_SIZE} records`,
      system: 'salesforce',
      entity,
    })
  }
  if (count === 1 && !allOrNone) return writeEach([0], (index) => plan.single(index))
  const threshold = ctx.options.bulkThreshold
  if (threshold !== false && count > threshold && !allOrNone) return bulkIngest(ctx, entity, plan.bulk)
  return writeCollections(ctx, entity, plan.collection, allOrNone)
}

function updateRecord(update: RecordUpdate): { id: string; values: EntityRecord } {
  return { id: recordKey(update.id), values: update.values }
}

function recordKey(id: RecordId): string {
  if (typeof id !== 'string' || !/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(id)) {
    throw new ValidationError({
      message: 'salesforce: record ids must be 15- or 18-character strings',
      system: 'salesforce',
    })
  }
  return id
}
