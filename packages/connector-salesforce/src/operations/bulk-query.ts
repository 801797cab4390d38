import { type EntityRecord, headerValue } from '@junction/core'
import { parse } from 'csv-parse/sync'
import { call, type SalesforceContext } from '../salesforce-context.js'
import { jobInfoSchema, readBody } from '../salesforce-responses.js'
import { jobFailed, waitForJob } from './bulk-jobs.js'

/**
 * The rows of a Bulk API 2.0 query job, streamed page by page through `Sforce-Locator`: one page
 * (`maxRecordsPerPage` rows) is parsed and held at a time, so memory stays bounded however large the
 * result (jsforce buffered every row: jsforce #697, forcedotcom/cli #1995). Empty cells are `null`;
 * parent fields (`Owner.Email`) nest as they do in REST answers. The job is deleted at the end.
 */
export async function* bulkQueryRecords(
  ctx: SalesforceContext,
  soql: string,
  options: { all?: boolean | undefined } = {},
): AsyncIterable<EntityRecord> {
  const created = readBody(
    jobInfoSchema,
    await call(ctx, {
      method: 'POST',
      path: 'jobs/query',
      body: {
        type: 'json',
        value: {
          operation: options.all === true ? 'queryAll' : 'query',
          query: soql,
          contentType: 'CSV',
          columnDelimiter: 'COMMA',
          lineEnding: 'LF',
        },
      },
    }),
  )
  const info = await waitForJob(ctx, 'query', created.id)
  if (info.state !== 'JobComplete') throw jobFailed('query', info)
  const path = `jobs/query/${created.id}/results`
  let locator: string | undefined
  let columns: string[] | undefined
  for (;;) {
    const response = await call(ctx, {
      path,
      query: {
        maxRecords: ctx.options.bulk.maxRecordsPerPage,
        ...(locator === undefined ? {} : { locator }),
      },
      headers: { accept: 'text/csv' },
      responseType: 'text',
    })
    const text = typeof response.body === 'string' ? response.body : ''
    // Whether later pages repeat the header row is UNVERIFIED: a page that starts with the header
    // of the first page is read with it, otherwise with the first page's columns.
    const rows: string[][] = parse(text, { skip_empty_lines: true, relax_column_count: false })
    if (columns === undefined) columns = rows.shift() ?? []
    else if (rows[0] !== undefined && rows[0].join('\u0000') === columns.join('\u0000')) rows.shift()
    for (const row of rows) yield nest(columns, row)
    const next = headerValue(response.headers, 'sforce-locator')
    // The last page says the literal string `null` (jsforce loops `while (locator !== 'null')`).
    if (next === undefined || next === 'null' || next === '') break
    locator = next
  }
  await call(ctx, { method: 'DELETE', path: `jobs/query/${created.id}` }).catch(() => undefined)
}

function nest(columns: readonly string[], row: readonly string[]): EntityRecord {
  const record: EntityRecord = {}
  for (const [position, column] of columns.entries()) {
    const value = row[position] === '' || row[position] === undefined ? null : row[position]
    const parts = column.split('.')
    let target = record
    for (const part of parts.slice(0, -1)) {
      const existing = target[part]
      const nested = typeof existing === 'object' && existing !== null ? (existing as EntityRecord) : {}
      target[part] = nested
      target = nested
    }
    target[parts.at(-1) as string] = value
  }
  return record
}
