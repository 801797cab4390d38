import {
  type ConnectorContext,
  type ConnectorOptions,
  type ConnectorRequest,
  type Converter,
  converter,
  defineConnector,
  type EntityRecord,
  type ErrorMapper,
  expectBody,
  httpStatusError,
  transformFailure as invalid,
  isJunctionError,
  JunctionError,
  type JunctionErrorCode,
  type JunctionRequest,
  type JunctionResponse,
  type Middleware,
  parseDecimal,
  type RecordId,
  responseErrorFields,
  unsupportedCondition,
  transformSuccess as valid,
  type WriteResult,
  whereConditions,
  writeEach,
} from '@junction/core'
import { z } from 'zod'

const SYSTEM = 'acme-erp'
const MAX_PAGE = 200 // the ERP caps `limit` here…
const MAX_IMPORT = 100 // …and an import at this many rows

/** Rewrites text that matches `from` as `to`; anything else is an issue saying what was expected. */
const reformat = (from: RegExp, to: string, expected: string) => (value: unknown) =>
  typeof value === 'string' && from.test(value)
    ? valid(value.replace(from, to))
    : invalid('invalid_format', `expected ${expected}`)
/** `DD.MM.YYYY` ⇄ ISO `YYYY-MM-DD`. */
const acmeDate = converter(
  'acmeDate',
  reformat(/^(\d{2})\.(\d{2})\.(\d{4})$/, '$3-$2-$1', 'a date DD.MM.YYYY'),
  reformat(/^(\d{4})-(\d{2})-(\d{2})$/, '$3.$2.$1', 'a date YYYY-MM-DD'),
)
/** The ERP's amounts, `"1250,50"` ⇄ exact decimal text `"1250.50"` (never a float). */
const acmeAmount = converter(
  'acmeAmount',
  (value) =>
    typeof value === 'string'
      ? parseDecimal(value.replace(',', '.'))
      : invalid('invalid_type', 'expected text'),
  (value) => {
    const exact = parseDecimal(value)
    return exact.ok ? valid(exact.value.replace('.', ',')) : exact
  },
)
/** Which fields of which table carry the ERP's own formats. */
const FORMATS: Record<string, Record<string, Converter<string>>> = {
  customers: { since: acmeDate, credit_limit: acmeAmount },
  invoices: { invoice_date: acmeDate, due_date: acmeDate, amount: acmeAmount },
}

const STAMP = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}:\d{2}:\d{2})$/ // `modified`: UTC, whole seconds
const stampTime = (text: string) => Date.parse(text.replace(STAMP, '$3-$2-$1T$4Z'))
const toStamp = (date: Date) => date.toISOString().replace(/^(\d+)-(\d+)-(\d+)T([\d:]+).*$/, '$3.$2.$1 $4')

const row = z.looseObject({ id: z.number(), version: z.number(), modified: z.string().regex(STAMP) })
type Row = z.infer<typeof row>
const page = z.object({ total: z.number(), rows: z.array(row), server_time: z.string().regex(STAMP) })
const errorBody = z.object({ err: z.number(), msg: z.string() })
const imported = (count: number) =>
  z.object({
    results: z
      .array(errorBody.or(z.object({ id: z.number(), action: z.enum(['created', 'updated']) })))
      .length(count),
  })
const cursor = z.object({
  at: z.string().regex(STAMP),
  after: z.number().optional(),
  seen: z.string().array().optional(),
})
type Mark = z.infer<typeof cursor>

/** The ERP's error numbers (any other falls back to the HTTP status). */
const ERRORS: Record<number, JunctionErrorCode> = {
  10: 'AUTH_FAILED',
  11: 'BAD_REQUEST',
  20: 'BAD_REQUEST', // an unknown table, where 21 is a missing row
  21: 'NOT_FOUND',
  30: 'VALIDATION_FAILED',
  31: 'CONFLICT',
  40: 'CONFLICT', // the row is open in someone's screen, often for minutes: retrying at once is no use
}

/** The typed error for an `{ err, msg }` body, wherever it came: an error status, a 200, an import row. */
function acmeError(body: z.infer<typeof errorBody>, response: JunctionResponse, request: JunctionRequest) {
  const fields = { message: `${SYSTEM}: ${body.msg} (err ${body.err})`, systemCode: String(body.err) }
  const code = ERRORS[body.err]
  if (code === undefined) return httpStatusError(response, request, fields)
  return new JunctionError({ ...responseErrorFields(response, request), ...fields, code })
}
/** Maps the ERP's error bodies, for core's error middleware and for the 200s that carry one. */
export const mapAcmeError: ErrorMapper = (response, request) => {
  const body = errorBody.safeParse(response.body)
  return body.success ? acmeError(body.data, response, request) : undefined
}
const refuse = (code: JunctionErrorCode, message: string, entity?: string) =>
  new JunctionError({ code, message: `${SYSTEM}: ${message}`, system: SYSTEM, entity })

const tablePath = (entity: string) => `/${encodeURIComponent(entity)}`
const rowPath = (entity: string, id: RecordId) => {
  if (typeof id === 'string' && /^\d+$/.test(id)) return `${tablePath(entity)}/${id}`
  throw refuse('VALIDATION_FAILED', 'ids are numbers, like "1001"', entity)
}

/** Converts the fields of `entity` that carry the ERP's formats, one way or the other. */
function convert(entity: string, values: EntityRecord, toWire: boolean): EntityRecord {
  const out = { ...values }
  for (const [field, format] of Object.entries(FORMATS[entity] ?? {})) {
    if (values[field] === undefined || values[field] === null || values[field] === '') continue
    const result = (toWire ? format.inverse : format)?.transform(values[field] as string)
    if (result?.ok === false) {
      const problem = `${entity}.${field}: ${result.issues[0]?.message}`
      // Our caller's bad value fails that record; the ERP's is a response we cannot read.
      throw refuse(toWire ? 'VALIDATION_FAILED' : 'MALFORMED_RESPONSE', problem, entity)
    }
    out[field] = result?.value
  }
  return out
}
/** A row as Junction hands it out: the id as text, ISO dates and times, exact decimal amounts. */
const fromWire = (entity: string, wire: Row): EntityRecord => ({
  ...convert(entity, wire, false),
  id: String(wire.id),
  modified: new Date(stampTime(wire.modified)).toISOString(),
})
const json = (value: unknown) => ({ type: 'json' as const, value })
/** The body, checked: anything else is a `MALFORMED_RESPONSE` naming what was expected. */
const read = <S extends z.ZodType>(schema: S, response: JunctionResponse, shape: string) =>
  expectBody(schema, response, { system: SYSTEM, shape })

async function list(ctx: ConnectorContext, entity: string, query: ConnectorRequest['query']) {
  return read(page, await ctx.request({ path: tablePath(entity), query }), 'a page of rows')
}

/** Sends rows to the ERP's import: one answer per row, its id and action or its error. */
async function importRows(ctx: ConnectorContext, entity: string, key: string, rows: EntityRecord[]) {
  const path = `${tablePath(entity)}/import`
  const response = await ctx.request({ method: 'POST', path, query: { key }, body: json({ rows }) })
  const request = { method: 'POST' as const, url: response.url, headers: {}, operation: ctx.operation }
  return read(imported(rows.length), response, 'a result per row').results.map((answer) =>
    'err' in answer ? acmeError(answer, { ...response, body: answer }, request) : answer,
  )
}
const attempt = <T>(run: () => T): T | JunctionError => {
  try {
    return run()
  } catch (error) {
    if (error instanceof JunctionError) return error
    throw error
  }
}

// A change cursor is the second of the last change and what of it was delivered. While that second is
// open (by the ERP's clock) that is each row's `id@version`, since a row updated later in the same
// second must still come. Once it is over no row can join it, and the last id (in `id` order) suffices.
// (So a cursor grows only with the changes of one second read while that second is still open.)
const rowKey = (r: Row) => `${r.id}@${r.version}`
const isNew = (r: Row, mark?: Mark) =>
  !mark || r.modified !== mark.at || (mark.seen ? !mark.seen.includes(rowKey(r)) : r.id > (mark.after ?? 0))
const advance = (mark: Mark | undefined, r: Row, closed: boolean): Mark => {
  if (mark?.at !== r.modified)
    return closed ? { at: r.modified, after: r.id } : { at: r.modified, seen: [rowKey(r)] }
  return mark.seen ? { at: mark.at, seen: [...mark.seen, rowKey(r)] } : { at: mark.at, after: r.id }
}
const readCursor = (text: string): Mark => {
  try {
    return cursor.parse(JSON.parse(text))
  } catch {
    throw refuse('VALIDATION_FAILED', 'not a cursor of this connector')
  }
}

const optionsShape = {
  /** The API root, e.g. `https://erp.acme.example/api/v2`. */
  baseUrl: z.url(),
  /** Sent as `X-ACME-Key` through core's header auth (and so redacted from errors and logs). */
  apiKey: z.string().min(1),
  pageSize: z.number().int().min(1).max(MAX_PAGE).default(MAX_PAGE),
}

const connect = defineConnector({
  system: SYSTEM,
  options: optionsShape,
  mapError: mapAcmeError,
  middleware(stack) {
    const businessErrors: Middleware =
      (next) =>
      async <T>(request: JunctionRequest) => {
        const response = await next<T>(request)
        const error = response.status < 400 ? mapAcmeError(response, request) : undefined
        if (error) throw error
        return response
      }
    stack.add('acme-business-errors', businessErrors, { after: 'errors' })
  },
  async get(ctx, entity, id) {
    try {
      const response = await ctx.request({ path: rowPath(entity, id) })
      return fromWire(entity, read(z.object({ row }), response, 'a row').row)
    } catch (error) {
      if (isJunctionError(error, 'NOT_FOUND')) return undefined
      throw error
    }
  },
  async *query(ctx, entity, q) {
    if (q.raw) throw refuse('NOT_SUPPORTED', 'the ERP has no query language; use where')
    const equal = whereConditions(q.where).map((c) => {
      if (c.operator !== 'eq') throw unsupportedCondition(SYSTEM, c)
      return [c.field, c.value === null ? '' : c.value]
    })
    const filters = Object.entries(convert(entity, Object.fromEntries(equal), true))
    const params = {
      ...Object.fromEntries(filters.map(([field, value]) => [field, String(value)])),
      sort: q.orderBy?.map((o) => `${o.direction === 'desc' ? '-' : ''}${o.field}`).join(','),
      fields: q.select && ['version', 'modified', ...q.select].join(','),
    }
    const max = q.limit ?? Number.POSITIVE_INFINITY
    for (let offset = 0, yielded = 0; yielded < max; ) {
      const limit = Math.min(q.pageSize ?? ctx.options.pageSize, MAX_PAGE, max - yielded)
      const { rows, total } = await list(ctx, entity, { ...params, offset, limit })
      for (const wire of rows.slice(0, limit)) {
        yielded++
        yield fromWire(entity, wire)
      }
      offset += rows.length
      if (rows.length === 0 || offset >= total) return
    }
  },
  create: (ctx, entity, records) =>
    writeEach(records, async (record) => {
      const body = json(convert(entity, record, true))
      const response = await ctx.request({ method: 'POST', path: tablePath(entity), body })
      const { id } = read(z.object({ id: z.number() }), response, 'a new id')
      return { ok: true, id: String(id) }
    }),
  update: (ctx, entity, updates) =>
    writeEach(updates, async ({ id, values, etag }) => {
      if (etag !== undefined) throw refuse('NOT_SUPPORTED', 'the ERP has no conditional update', entity)
      const body = json(convert(entity, values, true))
      await ctx.request({ method: 'PUT', path: rowPath(entity, id), body })
      return { ok: true, id: String(id) }
    }),
  // The ERP's import creates or updates rows matched on a unique column, and answers for each row.
  async upsert(ctx, entity, records, { externalId }) {
    const results: WriteResult[] = []
    for (let start = 0; start < records.length; start += MAX_IMPORT) {
      const converted = records
        .slice(start, start + MAX_IMPORT)
        .map((r) => attempt(() => convert(entity, r, true)))
      const rows = converted.filter((wire): wire is EntityRecord => !(wire instanceof JunctionError))
      const answers = rows.length > 0 ? await importRows(ctx, entity, externalId, rows) : []
      const written = await writeEach(converted, async (wire) => {
        if (wire instanceof JunctionError) throw wire
        const answer = answers.shift() as (typeof answers)[number] // checked: one answer per row sent
        if (answer instanceof JunctionError) throw answer
        return { ok: true, id: String(answer.id), created: answer.action === 'created' }
      })
      results.push(...written.map((result) => ({ ...result, index: start + result.index })))
    }
    return results
  },
  delete: (ctx, entity, ids) =>
    writeEach(ids, async (id) => {
      await ctx.request({ method: 'DELETE', path: rowPath(entity, id) })
      return { ok: true, id: String(id) }
    }),
  // Creations and updates, oldest first. The ERP forgets deleted rows, so it cannot report deletions.
  async *changes(ctx, entity, options) {
    // `since` is rounded down to the ERP's whole seconds: a change in that second before it may come too.
    let mark = options.cursor
      ? readCursor(options.cursor)
      : options.since && { at: toStamp(options.since), seen: [] }
    const limit = options.pageSize ?? ctx.options.pageSize
    for (let offset = 0; ; ) {
      const query = { modified_since: mark?.at, sort: 'modified,id', offset, limit }
      const { rows, total, server_time } = await list(ctx, entity, query)
      const fresh = rows.filter((r) => isNew(r, mark))
      for (const r of fresh) {
        mark = advance(mark, r, stampTime(r.modified) < stampTime(server_time))
        const changedAt = new Date(stampTime(r.modified))
        yield {
          kind: 'upsert',
          id: String(r.id),
          record: fromWire(entity, r),
          changedAt,
          cursor: JSON.stringify(mark),
        }
      }
      if (rows.length === 0 || offset + rows.length >= total) return
      // The next page starts after the mark. Only a page delivered before (a second with more changes than
      // a page) is stepped over by offset, and that assumes its rows do not change meanwhile.
      offset = fresh.length > 0 ? 0 : offset + rows.length
    }
  },
})

/** Options of {@link acmeErp}: `baseUrl`, `apiKey`, `pageSize`, and core's own (limits, retry, audit…). */
export type AcmeErpOptions = Omit<ConnectorOptions<typeof optionsShape>, 'auth'>

/** A connector for the ACME ERP; the API key goes through core's header auth as `X-ACME-Key`. */
export function acmeErp(options: AcmeErpOptions) {
  return connect({ ...options, auth: { type: 'header', name: 'X-ACME-Key', value: options.apiKey } })
}
