import { type EntityRecord, JunctionError, type WriteResult } from '@junction/core'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { call, type SalesforceContext } from '../salesforce-context.js'
import { mapRecordError } from '../salesforce-errors.js'
import { jobInfoSchema, readBody } from '../salesforce-responses.js'
import { apiName } from '../soql.js'
import { jobFailed, waitForJob } from './bulk-jobs.js'

/** A Bulk API 2.0 ingest operation. */
export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete'

/** What to load. */
export interface IngestRequest {
  operation: IngestOperation
  /** Rows to load: for `update`, `delete` and `hardDelete` each carries `Id`. */
  records: readonly EntityRecord[]
  /** The upsert key. */
  externalId?: string | undefined
}

// One upload may hold 150 MB after base64 (sheet §5.1): keep the raw CSV of one job under 100 MB.
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024
// Bulk writes `#N/A` to set a field to null; an empty cell leaves the field unchanged (sheet §5.2).
const NULL_CELL = '#N/A'
const KEY_SEPARATOR = '\u0000'

/**
 * Loads records through Bulk API 2.0: create job → upload CSV (csv-stringify) → close → poll → read
 * the successful, failed and unprocessed results (csv-parse) back into one result per record, in
 * input order. Result files are not ordered, so rows are matched to inputs by their cells.
 */
export async function bulkIngest(
  ctx: SalesforceContext,
  entity: string,
  request: IngestRequest,
): Promise<WriteResult[]> {
  const results: WriteResult[] = []
  for (const part of uploadParts(request.records)) {
    const partResults = await ingestJob(ctx, entity, request, part.records)
    results.push(...partResults.map((result) => ({ ...result, index: result.index + part.offset })))
  }
  return results
}

async function ingestJob(
  ctx: SalesforceContext,
  entity: string,
  request: IngestRequest,
  records: readonly EntityRecord[],
): Promise<WriteResult[]> {
  const { columns, rows } = table(records, request.operation)
  const created = readBody(
    jobInfoSchema,
    await call(ctx, {
      method: 'POST',
      path: 'jobs/ingest',
      body: {
        type: 'json',
        value: {
          object: apiName(entity),
          operation: request.operation,
          ...(request.operation === 'upsert'
            ? { externalIdFieldName: apiName(request.externalId ?? '') }
            : {}),
          contentType: 'CSV',
          columnDelimiter: 'COMMA',
          lineEnding: 'LF',
        },
      },
    }),
  )
  const jobPath = `jobs/ingest/${created.id}`
  try {
    await call(ctx, {
      method: 'PUT',
      path: `${jobPath}/batches`,
      // Whether a second PUT to a job replaces or adds rows is UNVERIFIED: a retried upload could load
      // every row twice, so it is not retried.
      idempotent: false,
      body: {
        type: 'text',
        value: stringify(rows, { header: true, columns, record_delimiter: 'unix' }),
        contentType: 'text/csv',
      },
    })
    await call(ctx, {
      method: 'PATCH',
      path: jobPath,
      body: { type: 'json', value: { state: 'UploadComplete' } },
    })
  } catch (error) {
    // A job that never closes stays Open for a day; abort it so it does not linger.
    await call(ctx, {
      method: 'PATCH',
      path: jobPath,
      body: { type: 'json', value: { state: 'Aborted' } },
    }).catch(() => undefined)
    throw error
  }
  const info = await waitForJob(ctx, 'ingest', created.id)
  if (info.state !== 'JobComplete') {
    const error = jobFailed('ingest', info)
    return records.map((_, index) => ({ ok: false, index, error }))
  }
  const byKey = new Map<string, number[]>()
  for (const [index, row] of rows.entries()) {
    const key = row.join(KEY_SEPARATOR)
    byKey.set(key, [...(byKey.get(key) ?? []), index])
  }
  const results: Array<WriteResult | undefined> = new Array(records.length)
  const claim = (row: Record<string, string>): number | undefined => {
    const queue = byKey.get(columns.map((column) => row[column] ?? '').join(KEY_SEPARATOR))
    return queue?.shift()
  }
  for (const row of await resultRows(ctx, `${jobPath}/successfulResults`)) {
    const index = claim(row)
    if (index === undefined) continue
    const id = row.sf__Id === '' ? undefined : row.sf__Id
    results[index] =
      request.operation === 'upsert'
        ? { ok: true, index, id, created: row.sf__Created === 'true' }
        : { ok: true, index, id }
  }
  for (const row of await resultRows(ctx, `${jobPath}/failedResults`)) {
    const index = claim(row)
    if (index === undefined) continue
    results[index] = { ok: false, index, error: rowError(row.sf__Error ?? '', request.operation, entity) }
  }
  const unprocessed = new JunctionError({
    code: 'BAD_REQUEST',
    message: `salesforce bulk job ${created.id} did not process this record`,
    system: 'salesforce',
    operation: request.operation,
    entity,
    systemCode: 'UNPROCESSED',
    retryable: true,
  })
  return results.map((result, index) => result ?? { ok: false, index, error: unprocessed })
}

async function resultRows(ctx: SalesforceContext, path: string): Promise<Array<Record<string, string>>> {
  const response = await call(ctx, { path, headers: { accept: 'text/csv' }, responseType: 'text' })
  const text = typeof response.body === 'string' ? response.body : ''
  return parse(text, { columns: true, skip_empty_lines: true })
}

// `sf__Error` reads `CODE:message:fields --` (format UNVERIFIED); the code is what callers switch on.
function rowError(text: string, operation: string, entity: string): JunctionError {
  const match = /^([A-Z_]+):([\s\S]*?)(?::([^:]*?))?\s*--\s*$/.exec(text)
  const statusCode = match?.[1] ?? 'UNKNOWN_ERROR'
  const message = match?.[2] ?? text
  const fields = match?.[3] ? match[3].split(',').filter((field) => field !== '') : []
  return mapRecordError([{ statusCode, message, fields }], { operation, entity })
}

function table(
  records: readonly EntityRecord[],
  operation: IngestOperation,
): { columns: string[]; rows: string[][] } {
  const columns =
    operation === 'delete' || operation === 'hardDelete'
      ? ['Id']
      : [...new Set(records.flatMap((record) => Object.keys(record)))]
  const rows = records.map((record) => columns.map((column) => cell(record[column])))
  return { columns, rows }
}

function cell(value: unknown): string {
  if (value === undefined) return ''
  if (value === null) return NULL_CELL
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

// Splits records so each job's CSV stays under the upload limit (estimated from a sample row's size).
function uploadParts(
  records: readonly EntityRecord[],
): Array<{ offset: number; records: readonly EntityRecord[] }> {
  const sample = records.slice(0, 100)
  const bytesPerRow = Math.max(1, Buffer.byteLength(JSON.stringify(sample)) / Math.max(1, sample.length))
  const perJob = Math.max(1, Math.floor(MAX_UPLOAD_BYTES / (bytesPerRow * 1.5)))
  const parts: Array<{ offset: number; records: readonly EntityRecord[] }> = []
  for (let offset = 0; offset < records.length; offset += perJob) {
    parts.push({ offset, records: records.slice(offset, offset + perJob) })
  }
  return parts
}
