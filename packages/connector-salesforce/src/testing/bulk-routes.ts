import type { EntityRecord } from '@junction/core'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { ApiFault } from './api-fault.js'
import { withChecksum } from './salesforce-ids.js'
import { MultipleChoices, type SalesforceOrg } from './salesforce-org.js'
import { jsonObject, type Route, type SimRequest, type SimResponse } from './sim-http.js'
import { parseSoql, SoqlSyntaxError } from './soql-parser.js'

/** How the simulated Bulk API 2.0 behaves where the sheet leaves it open. */
export interface BulkSimulatorOptions {
  /** Polls that still see `InProgress` before a job completes (default 1). */
  pollsUntilComplete?: number
  /** Rows per query results page when the client sends no `maxRecords` (default 10,000). */
  defaultMaxRecords?: number
  /** Whether every results page repeats the header row (UNVERIFIED; default true, as the sheet advises). */
  headerOnEveryPage?: boolean
}

const DELIMITERS: Readonly<Record<string, string>> = {
  COMMA: ',',
  TAB: '\t',
  SEMICOLON: ';',
  PIPE: '|',
  CARET: '^',
  BACKQUOTE: '`',
}
const OPERATIONS = ['insert', 'update', 'upsert', 'delete', 'hardDelete']
const CSV = 'text/csv'
// Bulk writes `#N/A` to set a field to null; an empty cell leaves it unchanged (sheet §5.2).
const NULL_CELL = '#N/A'

interface Job {
  id: string
  kind: 'ingest' | 'query'
  info: Record<string, unknown>
  state: string
  polls: number
  delimiter: string
  lineEnding: 'LF' | 'CRLF'
  uploads: string[]
  columns: string[]
  successes: Array<Record<string, string>>
  failures: Array<Record<string, string>>
  rows: Array<Record<string, string>>
}

/** Bulk API 2.0 ingest and query jobs (sheet §5). */
export function bulkRoutes(org: SalesforceOrg, options: BulkSimulatorOptions = {}): Route[] {
  const jobs = new Map<string, Job>()
  let sequence = 0
  const pollsUntilComplete = options.pollsUntilComplete ?? 1
  const defaultMaxRecords = options.defaultMaxRecords ?? 10_000
  const headerOnEveryPage = options.headerOnEveryPage ?? true

  const job = (kind: Job['kind'], id: string | undefined): Job => {
    const found = jobs.get(String(id))
    if (found === undefined || found.kind !== kind)
      throw new ApiFault(404, 'NOT_FOUND', 'The requested resource does not exist')
    return found
  }
  const info = (found: Job): Record<string, unknown> => {
    if (found.state === 'InProgress' || found.state === 'UploadComplete') {
      if (found.polls++ >= pollsUntilComplete) found.state = 'JobComplete'
      else found.state = 'InProgress'
    }
    return {
      ...found.info,
      state: found.state,
      numberRecordsProcessed:
        found.kind === 'ingest' ? found.successes.length + found.failures.length : found.rows.length,
      ...(found.kind === 'ingest' ? { numberRecordsFailed: found.failures.length } : {}),
      retries: 0,
      totalProcessingTime: 0,
      apiActiveProcessingTime: 0,
      apexProcessingTime: 0,
    }
  }
  const create = (kind: Job['kind'], request: SimRequest, extra: Record<string, unknown>): Job => {
    const body = jsonObject(request)
    const delimiterName = String(body.columnDelimiter ?? 'COMMA')
    const delimiter = DELIMITERS[delimiterName]
    const lineEnding = String(body.lineEnding ?? 'LF')
    if (delimiter === undefined || (lineEnding !== 'LF' && lineEnding !== 'CRLF')) {
      throw new ApiFault(400, 'INVALIDJOB', 'columnDelimiter or lineEnding is not supported')
    }
    const id = withChecksum(`7505g${String(++sequence).padStart(10, '0')}`)
    const now = org.timestamp()
    const created: Job = {
      id,
      kind,
      state: kind === 'ingest' ? 'Open' : 'UploadComplete',
      polls: 0,
      delimiter,
      lineEnding,
      uploads: [],
      columns: [],
      successes: [],
      failures: [],
      rows: [],
      info: {
        id,
        createdById: '0055g00000SimUsAAA',
        createdDate: now,
        systemModstamp: now,
        concurrencyMode: 'Parallel',
        contentType: 'CSV',
        apiVersion: Number(request.version.slice(1)),
        jobType: kind === 'ingest' ? 'V2Ingest' : 'V2Query',
        lineEnding,
        columnDelimiter: delimiterName,
        ...extra,
      },
    }
    jobs.set(id, created)
    return created
  }

  return [
    {
      method: 'POST',
      pattern: /^\/jobs\/ingest\/?$/,
      handle: (request) => {
        const body = jsonObject(request)
        const operation = String(body.operation)
        if (!OPERATIONS.includes(operation))
          throw new ApiFault(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${operation}`)
        const object = org.schema(String(body.object)).name
        if (operation === 'upsert' && typeof body.externalIdFieldName !== 'string') {
          throw new ApiFault(400, 'INVALIDJOB', 'InvalidJob : External ID was blank for upsert')
        }
        const created = create('ingest', request, {
          operation,
          object,
          ...(operation === 'upsert' ? { externalIdFieldName: body.externalIdFieldName } : {}),
          contentUrl: '',
        })
        created.info.contentUrl = `services/data/${request.version}/jobs/ingest/${created.id}/batches`
        // Status 200 per the examples (UNVERIFIED).
        return { status: 200, body: info(created) }
      },
    },
    {
      method: 'PUT',
      pattern: /^\/jobs\/ingest\/([^/]+)\/batches\/?$/,
      handle: (request, [, id]) => {
        const found = job('ingest', id)
        if (found.state !== 'Open') throw new ApiFault(409, 'INVALIDJOBSTATE', 'Job is not open for uploads')
        // Several uploads to one job are accepted here; whether Salesforce does is UNVERIFIED.
        found.uploads.push(request.text)
        return { status: 201 }
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/jobs\/(ingest|query)\/([^/]+)\/?$/,
      handle: (request, [, kind, id]) => {
        const found = job(kind as Job['kind'], id)
        const state = jsonObject(request).state
        if (state === 'Aborted') found.state = 'Aborted'
        else if (state === 'UploadComplete' && found.kind === 'ingest' && found.state === 'Open') {
          found.state = 'UploadComplete'
          ingest(org, request.version, found)
        } else throw new ApiFault(400, 'INVALIDJOBSTATE', `Cannot change the job's state to ${String(state)}`)
        return { status: 200, body: { ...found.info, state: found.state } }
      },
    },
    {
      method: 'GET',
      pattern: /^\/jobs\/(ingest|query)\/([^/]+)\/?$/,
      handle: (_request, [, kind, id]) => ({ status: 200, body: info(job(kind as Job['kind'], id)) }),
    },
    {
      method: 'DELETE',
      pattern: /^\/jobs\/(ingest|query)\/([^/]+)\/?$/,
      handle: (_request, [, kind, id]) => {
        jobs.delete(job(kind as Job['kind'], id).id)
        // 204 UNVERIFIED (sheet §5.1).
        return { status: 204 }
      },
    },
    {
      method: 'GET',
      pattern: /^\/jobs\/ingest\/([^/]+)\/(successfulResults|failedResults|unprocessedrecords)\/?$/,
      handle: (_request, [, id, which]) => {
        const found = job('ingest', id)
        if (which === 'unprocessedrecords') return csv(found, found.columns, [])
        const rows = which === 'successfulResults' ? found.successes : found.failures
        const lead = which === 'successfulResults' ? ['sf__Id', 'sf__Created'] : ['sf__Id', 'sf__Error']
        return csv(found, [...lead, ...found.columns], rows)
      },
    },
    {
      method: 'POST',
      pattern: /^\/jobs\/query\/?$/,
      handle: (request) => {
        const body = jsonObject(request)
        const operation = String(body.operation ?? 'query')
        if (operation !== 'query' && operation !== 'queryAll')
          throw new ApiFault(400, 'INVALIDJOB', `Invalid operation: ${operation}`)
        let parsed: ReturnType<typeof parseSoql>
        try {
          parsed = parseSoql(String(body.query))
        } catch (error) {
          if (error instanceof SoqlSyntaxError) throw new ApiFault(400, 'MALFORMED_QUERY', error.message)
          throw error
        }
        // Bulk query refuses aggregates and OFFSET (sheet §5.3).
        if (parsed.count || parsed.offset !== undefined) {
          throw new ApiFault(
            400,
            'API_ERROR',
            'Aggregate queries and OFFSET are not supported by Bulk API 2.0 query',
          )
        }
        const result = org.query(request.version, parsed, { all: operation === 'queryAll' })
        const created = create('query', request, {
          operation,
          object: parsed.entity,
          query: String(body.query),
        })
        created.columns = parsed.fields
        created.rows = result.rows.map((row) => flatten(result.project(row), parsed.fields))
        return { status: 200, body: info(created) }
      },
    },
    {
      method: 'GET',
      pattern: /^\/jobs\/query\/([^/]+)\/results\/?$/,
      handle: (request, [, id]) => {
        const found = job('query', id)
        if (found.state !== 'JobComplete') throw new ApiFault(400, 'INVALIDJOBSTATE', 'Job is not complete')
        const locator = request.query.get('locator')
        const start = locator === null || locator === '' ? 0 : decodeLocator(locator)
        const maxRecords = Number(request.query.get('maxRecords') ?? defaultMaxRecords)
        const end = Math.min(found.rows.length, start + (maxRecords > 0 ? maxRecords : defaultMaxRecords))
        const rows = found.rows.slice(start, end)
        const response = csv(found, found.columns, rows, start === 0 || headerOnEveryPage)
        response.headers = {
          'sforce-numberofrecords': String(rows.length),
          // The last page says the literal string `null` (sheet §5.3).
          'sforce-locator':
            end >= found.rows.length ? 'null' : Buffer.from(String(end)).toString('base64url'),
        }
        return response
      },
    },
  ]
}

function ingest(org: SalesforceOrg, version: string, job: Job): void {
  const operation = String(job.info.operation)
  const object = String(job.info.object)
  const externalId = String(job.info.externalIdFieldName ?? '')
  for (const upload of job.uploads) {
    let rows: Array<Record<string, string>>
    try {
      rows = parse(upload, { columns: true, delimiter: job.delimiter, skip_empty_lines: true })
    } catch {
      job.state = 'Failed'
      job.info.errorMessage = 'InvalidBatch : Failed to parse the CSV upload'
      return
    }
    const first = rows[0]
    if (first !== undefined && job.columns.length === 0) job.columns = Object.keys(first)
    for (const row of rows) {
      const fields: EntityRecord = {}
      for (const [column, cell] of Object.entries(row)) {
        if (cell === '') continue
        fields[column] = cell === NULL_CELL ? null : typed(org, object, column, cell)
      }
      try {
        let id: string
        let created = false
        if (operation === 'insert') {
          id = org.insert(object, fields)
          created = true
        } else if (operation === 'upsert') {
          const value = row[externalId] ?? ''
          const result = org.upsert(version, object, externalId, value, fields)
          id = result.id
          created = result.created
        } else {
          const { Id, ...rest } = fields
          id = String(Id ?? '')
          if (id === '') throw new ApiFault(400, 'MISSING_ARGUMENT', 'Id not specified', ['Id'])
          if (operation === 'update') org.update(object, id, rest)
          else org.remove(object, id)
        }
        job.successes.push({ sf__Id: id, sf__Created: String(created), ...row })
      } catch (error) {
        const fault =
          error instanceof MultipleChoices
            ? new ApiFault(300, 'DUPLICATE_EXTERNAL_ID', 'more than one record found for external id field')
            : error
        if (!(fault instanceof ApiFault)) throw error
        // `sf__Error` text format is UNVERIFIED (sheet §5.1).
        job.failures.push({
          sf__Id: '',
          sf__Error: `${fault.errorCode}:${fault.message}:${fault.fields.join(',')} --`,
          ...row,
        })
      }
    }
  }
}

// CSV cells are text; numbers and booleans go back to their field types so queries compare them right.
function typed(org: SalesforceOrg, object: string, column: string, cell: string): unknown {
  const type = org.schema(object).field(column)?.type
  if (type === 'boolean') return cell.toLowerCase() === 'true'
  if (
    (type === 'double' || type === 'int' || type === 'currency') &&
    cell.trim() !== '' &&
    !Number.isNaN(Number(cell))
  ) {
    return Number(cell)
  }
  return cell
}

function csv(
  job: Job,
  columns: readonly string[],
  rows: ReadonlyArray<Record<string, string>>,
  header = true,
): SimResponse {
  return {
    status: 200,
    contentType: CSV,
    body: stringify(rows as Array<Record<string, string>>, {
      header,
      columns: [...columns],
      delimiter: job.delimiter,
      record_delimiter: job.lineEnding === 'CRLF' ? 'windows' : 'unix',
    }),
  }
}

// Query rows come back as nested records; CSV columns are the selected paths (`Owner.Email`).
function flatten(row: EntityRecord, paths: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const path of paths) {
    let value: unknown = row
    for (const part of path.split('.')) {
      if (typeof value !== 'object' || value === null) {
        value = null
        break
      }
      const record = value as EntityRecord
      value = record[Object.keys(record).find((key) => key.toLowerCase() === part.toLowerCase()) ?? part]
    }
    out[path] = value === null || value === undefined ? '' : String(value)
  }
  return out
}

function decodeLocator(locator: string): number {
  const offset = Number(Buffer.from(locator, 'base64url').toString('utf8'))
  if (!Number.isInteger(offset) || offset < 0)
    throw new ApiFault(400, 'INVALID_QUERY_LOCATOR', 'invalid locator')
  return offset
}
