import {
  ConfigError,
  type Connector,
  defineConnector,
  type EntityRecord,
  type OperationOptions,
  rateLimitHeadersQuota,
} from '@junction/core'
import { type AggregateGroup, type AggregateRequest, aggregate } from './extras/aggregate.js'
import {
  type AttachmentDownload,
  type AttachmentMetadata,
  type AttachmentUpload,
  attach,
  deleteAttachment,
  download,
  listAttachments,
} from './extras/attachments.js'
import { runBatch } from './extras/batch.js'
import { readChanges } from './extras/changes.js'
import type { ImportResult } from './import-set/import-results.js'
import { type ImportOptions, importRows } from './import-set/import-set.js'
import type { ServiceNowState } from './servicenow-context.js'
import { contentMiddleware, mapServiceNowError } from './servicenow-errors.js'
import { type ServiceNowOptions, servicenowOptionsShape } from './servicenow-options.js'
import { type ColumnDescription, describeTable } from './table/field-check.js'
import { getRecord, queryRecords } from './table/table-read.js'
import { createRecords, deleteRecords, updateRecords, upsertRecords } from './table/table-write.js'

/** What a ServiceNow connector offers beyond the portable operations. */
export interface ServiceNowExtras {
  /** Reads a table's columns from `sys_dictionary`; later queries on it check their field names. */
  describe(table: string, options?: OperationOptions): Promise<ColumnDescription[]>
  /** Writes rows into a staging table (Import Set API); one result per row with what the transforms did. */
  importRows(
    staging: string,
    rows: readonly EntityRecord[],
    options?: ImportOptions & OperationOptions,
  ): Promise<ImportResult[]>
  /** Aggregate API: count, sum, avg, min, max, grouped or not. */
  aggregate(table: string, request: AggregateRequest, options?: OperationOptions): Promise<AggregateGroup[]>
  /** Attaches a file to a record, streaming its body. */
  attach(
    table: string,
    sysId: string,
    file: AttachmentUpload,
    options?: OperationOptions,
  ): Promise<AttachmentMetadata>
  /** The attachments of a record. */
  attachments(table: string, sysId: string, options?: OperationOptions): Promise<AttachmentMetadata[]>
  /** Downloads an attachment as a stream. */
  download(attachmentId: string, options?: OperationOptions): Promise<AttachmentDownload>
  /** Deletes an attachment. */
  deleteAttachment(attachmentId: string, options?: OperationOptions): Promise<void>
}

/** A ServiceNow connector: the portable operations plus the ServiceNow-specific ones. */
export type ServiceNowConnector = Connector & ServiceNowExtras

const connect = defineConnector({
  system: 'servicenow',
  options: servicenowOptionsShape,
  mapError: mapServiceNowError,
  // Rate-limit rules answer with `X-RateLimit-*` headers (sheet §8.1), fed to the limiter.
  quota: rateLimitHeadersQuota,
  middleware(stack) {
    stack.add('servicenow-content', contentMiddleware(), { after: 'errors' })
  },
  setup(options, auth): ServiceNowState {
    if (auth === undefined) throw new ConfigError({ message: 'servicenow needs auth', option: 'auth' })
    if ((options.instance === undefined) === (options.baseUrl === undefined)) {
      throw new ConfigError({
        message: 'servicenow needs exactly one of instance or baseUrl',
        option: 'instance',
      })
    }
    return { schemas: new Map() }
  },
  baseUrl: (ctx) => ctx.options.baseUrl ?? instanceUrl(ctx.options.instance ?? ''),
  get: getRecord,
  query: queryRecords,
  create: (ctx, table, records) => createRecords(ctx, table, records),
  update: (ctx, table, updates) => updateRecords(ctx, table, updates),
  upsert: upsertRecords,
  delete: (ctx, table, ids) => deleteRecords(ctx, table, ids),
  batch: (ctx, operations) => runBatch(ctx, operations),
  changes: readChanges,
  extend: (runner): ServiceNowExtras => ({
    describe: (table, options) =>
      runner.run({ name: 'describe', entity: table }, options, (ctx) => describeTable(ctx, table)),
    importRows: (staging, rows, options) =>
      runner.run({ name: 'import', entity: staging }, options, (ctx) =>
        importRows(ctx, staging, rows, options),
      ),
    aggregate: (table, request, options) =>
      runner.run({ name: 'aggregate', entity: table }, options, (ctx) => aggregate(ctx, table, request)),
    attach: (table, sysId, file, options) =>
      runner.run({ name: 'attach', entity: table }, options, (ctx) => attach(ctx, table, sysId, file)),
    attachments: (table, sysId, options) =>
      runner.run({ name: 'attachments', entity: table }, options, (ctx) =>
        listAttachments(ctx, table, sysId),
      ),
    download: (attachmentId, options) =>
      runner.run({ name: 'download', entity: 'sys_attachment' }, options, (ctx) =>
        download(ctx, attachmentId),
      ),
    deleteAttachment: (attachmentId, options) =>
      runner.run({ name: 'deleteAttachment', entity: 'sys_attachment' }, options, (ctx) =>
        deleteAttachment(ctx, attachmentId),
      ),
  }),
})

/**
 * A ServiceNow connector, e.g. `servicenow({ instance: 'acme', auth: { type: 'basic', username, password } })`.
 * OAuth grants (`oauth2-password`, `oauth2-refresh-token`, `oauth2-client-credentials`) default their
 * `tokenUrl` to the instance's `/oauth_token.do` (sheet §1.2); an API key is `{ type: 'header', name: 'x-sn-apikey', value }`.
 */
export function servicenow(options: ServiceNowOptions): ServiceNowConnector {
  return connect({ ...options, auth: withTokenUrl(options) } as Parameters<typeof connect>[0])
}

function instanceUrl(instance: string): string {
  return `https://${instance}.service-now.com`
}

function withTokenUrl(options: ServiceNowOptions): unknown {
  const auth = options.auth as unknown as Record<string, unknown>
  const oauth = typeof auth?.type === 'string' && auth.type.startsWith('oauth2-') && !('authorize' in auth)
  if (!oauth || auth.tokenUrl !== undefined) return options.auth
  const base = options.baseUrl ?? (options.instance === undefined ? undefined : instanceUrl(options.instance))
  if (base === undefined) return options.auth
  return { ...auth, tokenUrl: `${base.replace(/\/+$/, '')}/oauth_token.do` }
}
