import { createSimulator, type Simulator } from '@junction/core/testing'
import { HttpResponse, http } from 'msw'

// The simulated ACME ERP: the REST API ("v2", 2009) of a small legacy ERP, as its manual describes it.
//
// - Auth: an API key in the `X-ACME-Key` header; a missing or wrong key is `401 { err: 10 }`.
// - Rows carry `id` (a number, one range for all tables), `version` (bumped on each write) and `modified`
//   (`DD.MM.YYYY HH:MM:SS`, UTC, whole seconds). Dates are `DD.MM.YYYY`; amounts are strings with a
//   decimal comma (`"1250,50"`).
// - `GET /api/v2/{table}?offset=&limit=` pages (limit at most 200) and answers `{ total, offset, limit,
//   rows, server_time }`; other parameters: `modified_since` (inclusive), `sort` (`modified,-id`),
//   `fields` (a column list), and `column=value` equality filters.
// - `GET|PUT|DELETE /api/v2/{table}/{id}`, `POST /api/v2/{table}`, and `POST /api/v2/{table}/import?key=`
//   (create or update up to 100 rows matched on the table's unique column, one result per row).
// - Errors are `{ err, msg }`. Business errors (a refused field 30, a duplicate key 31, a locked row 40,
//   and a PUT to a missing row 21) come with status 200; only auth (401), an unknown table (20) or row
//   (21) on GET and DELETE (404), a bad parameter (11, 400) and a method or path the API does not have
//   (12, 405) use HTTP status codes.
// - Deleted rows are gone: `modified_since` cannot report deletions.

/** The header that carries the API key. */
export const ACME_KEY_HEADER = 'x-acme-key'

/** A row as the ERP stores and sends it, in wire format. */
export type AcmeRow = Record<string, unknown> & { id: number; version: number; modified: string }

interface Table {
  /** The column that identifies a row for people and for `import`. */
  key: string
  required: readonly string[]
  dates: readonly string[]
  amounts: readonly string[]
  columns: readonly string[]
}

const TABLES: Record<string, Table> = {
  customers: {
    key: 'customer_no',
    required: ['customer_no', 'name'],
    dates: ['since'],
    amounts: ['credit_limit'],
    columns: ['customer_no', 'name', 'city', 'email', 'since', 'credit_limit'],
  },
  invoices: {
    key: 'invoice_no',
    required: ['invoice_no', 'customer_no', 'invoice_date', 'amount'],
    dates: ['invoice_date', 'due_date'],
    amounts: ['amount'],
    columns: ['invoice_no', 'customer_no', 'invoice_date', 'due_date', 'amount', 'currency'],
  },
}
const SYSTEM_COLUMNS = ['id', 'version', 'modified']
const MAX_LIMIT = 200
const MAX_IMPORT = 100

const DATE = /^(\d{2})\.(\d{2})\.(\d{4})$/
const STAMP = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2}):(\d{2}))?$/
const AMOUNT = /^-?\d+(,\d{1,4})?$/

/** `DD.MM.YYYY HH:MM:SS` of an instant, in UTC, as the ERP writes `modified`. */
export function acmeTimestamp(date: Date): string {
  const [d, t] = date.toISOString().split('T') as [string, string]
  const [y, m, day] = d.split('-')
  return `${day}.${m}.${y} ${t.slice(0, 8)}`
}

/** A sortable `YYYY-MM-DD HH:MM:SS` for an ERP date or timestamp, or `undefined` when it is not one. */
function sortKey(value: unknown): string | undefined {
  const match = typeof value === 'string' ? STAMP.exec(value) : null
  if (!match) return undefined
  const [, d, m, y, hh = '00', mm = '00', ss = '00'] = match
  return `${y}-${m}-${d} ${hh}:${mm}:${ss}`
}

const isDate = (value: string): boolean => {
  const match = DATE.exec(value)
  if (!match) return false
  const [, d, m, y] = match.map(Number) as [number, number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/** The ERP's data: one table per name, rows keyed by `id`, and rows locked by (simulated) other users. */
export class AcmeErpData {
  readonly #rows = new Map<string, Map<number, AcmeRow>>(Object.keys(TABLES).map((name) => [name, new Map()]))
  readonly #locked = new Set<string>()
  #nextId = 1001

  constructor(readonly clock: () => Date) {}

  /** The rows of a table, in id order (copies). */
  rows(table: string): AcmeRow[] {
    return [...(this.#rows.get(table)?.values() ?? [])].map((row) => ({ ...row }))
  }

  /** One row, or `undefined`. */
  row(table: string, id: number): AcmeRow | undefined {
    const row = this.#rows.get(table)?.get(id)
    return row && { ...row }
  }

  /** Adds a row as the ERP's own screens would (no validation); `modified` may be given to backdate it. */
  insert(table: string, fields: Record<string, unknown>): AcmeRow {
    const row: AcmeRow = {
      ...fields,
      id: this.#nextId++,
      version: 1,
      modified: typeof fields.modified === 'string' ? fields.modified : acmeTimestamp(this.clock()),
    }
    this.#table(table).set(row.id, row)
    return { ...row }
  }

  /** Changes fields of a row, bumping its version and `modified`. */
  change(table: string, id: number, fields: Record<string, unknown>): AcmeRow {
    const current = this.#table(table).get(id)
    if (!current) throw new Error(`no ${table} row ${id}`)
    const row = {
      ...current,
      ...fields,
      id,
      version: current.version + 1,
      modified: acmeTimestamp(this.clock()),
    }
    this.#table(table).set(id, row)
    return { ...row }
  }

  /** Deletes a row; returns whether it was there. */
  remove(table: string, id: number): boolean {
    return this.#table(table).delete(id)
  }

  /** Marks a row as open in another user's edit screen: writes to it answer `err 40` until unlocked. */
  lock(table: string, id: number, locked = true): void {
    if (locked) this.#locked.add(`${table}/${id}`)
    else this.#locked.delete(`${table}/${id}`)
  }

  /** Whether a row is locked. */
  isLocked(table: string, id: number): boolean {
    return this.#locked.has(`${table}/${id}`)
  }

  #table(table: string): Map<number, AcmeRow> {
    const rows = this.#rows.get(table)
    if (!rows) throw new Error(`the ACME ERP has no table ${table}`)
    return rows
  }
}

/** Options for {@link acmeErpSimulator}. */
export interface AcmeErpSimulatorOptions {
  /** The API key the ERP accepts (default `acme-test-key`). */
  apiKey?: string
  /** Rows to start with, per table, in wire format. */
  seed?: Partial<Record<'customers' | 'invoices', ReadonlyArray<Record<string, unknown>>>>
  /** The ERP's clock (default the real one): stamps `modified` and `server_time`. */
  clock?: () => Date
}

/** The simulated ACME ERP: its data, its API key, and the msw simulator serving it. */
export interface AcmeErpSimulator extends Simulator {
  readonly data: AcmeErpData
  readonly apiKey: string
}

/** What a client sent, without the columns only the ERP writes. */
const writable = (body: unknown): Record<string, unknown> =>
  Object.fromEntries(Object.entries(body ?? {}).filter(([column]) => !SYSTEM_COLUMNS.includes(column)))
/** The request's JSON body, or `undefined` when it is not JSON. */
const jsonBody = (request: Request): Promise<unknown> => request.json().catch(() => undefined)
const fail = (err: number, msg: string, status = 200) => HttpResponse.json({ err, msg }, { status })
const notFound = () => fail(21, 'record not found', 404)

/** Why the ERP refuses a row (err 30), or `undefined` when it accepts it. */
function refusal(table: Table, row: Record<string, unknown>): string | undefined {
  for (const column of Object.keys(row)) {
    if (!table.columns.includes(column) && !SYSTEM_COLUMNS.includes(column)) return `unknown field ${column}`
  }
  for (const column of table.required) {
    if (typeof row[column] !== 'string' || row[column] === '') return `field ${column} is required`
  }
  for (const [column, value] of Object.entries(row)) {
    if (value === null || value === undefined || SYSTEM_COLUMNS.includes(column)) continue
    if (typeof value !== 'string') return `field ${column} must be a string`
    if (table.dates.includes(column) && !isDate(value)) return `field ${column} must be a date DD.MM.YYYY`
    if (table.amounts.includes(column) && !AMOUNT.test(value)) return `field ${column} must be an amount 0,00`
  }
  return undefined
}

/**
 * A simulated ACME ERP over msw (in-process with `.dispatcher`, on loopback with `.listen()`), seedable,
 * answering in the ERP's own formats, errors included.
 */
export function acmeErpSimulator(options: AcmeErpSimulatorOptions = {}): AcmeErpSimulator {
  const apiKey = options.apiKey ?? 'acme-test-key'
  const data = new AcmeErpData(options.clock ?? (() => new Date()))
  for (const [table, rows] of Object.entries(options.seed ?? {})) {
    for (const row of rows ?? []) data.insert(table, row)
  }

  /** Checks the key and the table, then runs the route with the table's definition. */
  const route =
    (
      answer: (context: {
        name: string
        table: Table
        id: number | undefined
        request: Request
      }) => Response | Promise<Response>,
    ) =>
    ({
      request,
      params,
    }: {
      request: Request
      params: Record<string, string | readonly string[] | undefined>
    }) => {
      if (request.headers.get(ACME_KEY_HEADER) !== apiKey) return fail(10, 'invalid or missing API key', 401)
      const name = String(params.table)
      const table = TABLES[name]
      if (!table) return fail(20, 'unknown resource', 404)
      const id =
        params.id === undefined ? undefined : /^\d+$/.test(String(params.id)) ? Number(params.id) : -1
      return answer({ name, table, id, request })
    }

  const duplicate = (name: string, table: Table, row: Record<string, unknown>, id?: number) =>
    data.rows(name).some((other) => other.id !== id && other[table.key] === row[table.key])

  const simulator = createSimulator({
    handlers: [
      http.get(
        '*/api/v2/:table',
        route(({ name, table, request }) => {
          const params = new URL(request.url).searchParams
          const offset = Number(params.get('offset') ?? '0')
          const limit = Math.min(Number(params.get('limit') ?? '50'), MAX_LIMIT)
          if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1) {
            return fail(11, 'offset and limit must be whole numbers, limit at least 1', 400)
          }
          const since = params.get('modified_since')
          const sinceKey = since === null ? undefined : sortKey(since)
          if (since !== null && sinceKey === undefined) {
            return fail(11, 'modified_since must be DD.MM.YYYY or DD.MM.YYYY HH:MM:SS', 400)
          }
          const known = [...SYSTEM_COLUMNS, ...table.columns]
          const sort = (params.get('sort') ?? 'id').split(',').map((field) => ({
            field: field.replace(/^-/, ''),
            sign: field.startsWith('-') ? -1 : 1,
          }))
          const fields = params.get('fields')?.split(',')
          const filters = [...params].filter(
            ([field]) => !['offset', 'limit', 'modified_since', 'sort', 'fields'].includes(field),
          )
          const unknown = [
            ...sort.map((s) => s.field),
            ...(fields ?? []),
            ...filters.map(([field]) => field),
          ].find((field) => !known.includes(field))
          if (unknown !== undefined) return fail(11, `unknown field ${unknown}`, 400)
          const compare = (a: AcmeRow, b: AcmeRow): number => {
            for (const { field, sign } of sort) {
              const [x, y] = [a[field], b[field]]
              const order =
                typeof x === 'number' && typeof y === 'number'
                  ? x - y
                  : String(sortKey(x) ?? x ?? '').localeCompare(String(sortKey(y) ?? y ?? ''))
              if (order !== 0) return sign * order
            }
            return 0
          }
          const matching = data
            .rows(name)
            .filter((row) => sinceKey === undefined || (sortKey(row.modified) ?? '') >= sinceKey)
            .filter((row) => filters.every(([field, value]) => String(row[field] ?? '') === value))
            .sort(compare)
          const rows = matching
            .slice(offset, offset + limit)
            .map((row) =>
              fields
                ? Object.fromEntries(Object.entries(row).filter(([f]) => f === 'id' || fields.includes(f)))
                : row,
            )
          return HttpResponse.json({
            total: matching.length,
            offset,
            limit,
            rows,
            server_time: acmeTimestamp(data.clock()),
          })
        }),
      ),
      http.get(
        '*/api/v2/:table/:id',
        route(({ name, id }) => {
          const row = id === undefined ? undefined : data.row(name, id)
          return row ? HttpResponse.json({ row }) : notFound()
        }),
      ),
      http.post(
        '*/api/v2/:table/import',
        route(async ({ name, table, request }) => {
          const key = new URL(request.url).searchParams.get('key')
          if (key !== table.key) return fail(11, `key must be ${table.key}`, 400)
          const sent = ((await jsonBody(request)) as { rows?: unknown } | undefined)?.rows
          if (!Array.isArray(sent) || sent.length > MAX_IMPORT) {
            return fail(11, `rows must be a list of at most ${MAX_IMPORT} rows`, 400)
          }
          const results = sent.map((one: unknown) => {
            const input = writable(one)
            const match = data.rows(name).find((row) => row[key] === input[key])
            const merged = { ...match, ...input }
            const problem = refusal(table, merged)
            if (problem) return { err: 30, msg: problem }
            if (match && data.isLocked(name, match.id))
              return { err: 40, msg: 'record is locked by another user' }
            const row = match ? data.change(name, match.id, input) : data.insert(name, input)
            return { id: row.id, action: match ? 'updated' : 'created' }
          })
          return HttpResponse.json({ results })
        }),
      ),
      http.post(
        '*/api/v2/:table',
        route(async ({ name, table, request }) => {
          const input = writable(await jsonBody(request))
          const problem = refusal(table, input)
          if (problem) return fail(30, problem)
          if (duplicate(name, table, input)) return fail(31, `duplicate ${table.key}`)
          const row = data.insert(name, input)
          return HttpResponse.json({ id: row.id, row })
        }),
      ),
      http.put(
        '*/api/v2/:table/:id',
        route(async ({ name, table, id, request }) => {
          const current = id === undefined ? undefined : data.row(name, id)
          // The ERP's one inconsistency everybody remembers: a PUT to a missing row is a 200.
          if (!current) return fail(21, 'record not found')
          const input = writable(await jsonBody(request))
          const problem = refusal(table, { ...current, ...input })
          if (problem) return fail(30, problem)
          if (duplicate(name, table, { ...current, ...input }, current.id))
            return fail(31, `duplicate ${table.key}`)
          if (data.isLocked(name, current.id)) return fail(40, 'record is locked by another user')
          return HttpResponse.json({ row: data.change(name, current.id, input) })
        }),
      ),
      http.delete(
        '*/api/v2/:table/:id',
        route(({ name, id }) => {
          if (id === undefined || !data.row(name, id)) return notFound()
          if (data.isLocked(name, id)) return fail(40, 'record is locked by another user')
          data.remove(name, id)
          return HttpResponse.json({ deleted: 1 })
        }),
      ),
      // Anything else (PATCH, a deeper path, a method the manual does not list), in the ERP's own words.
      http.all('*/api/v2/*', () => fail(12, 'not supported by this API', 405)),
    ],
  })
  return Object.assign(simulator, { data, apiKey })
}
