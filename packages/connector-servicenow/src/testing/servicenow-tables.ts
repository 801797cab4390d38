import { randomUUID } from 'node:crypto'
import type { EntityRecord } from '@junction/core'
import type { EncodedCondition, ParsedEncodedQuery } from './encoded-query-parser.js'
import { BUILT_IN_TABLES, type ColumnSpec, SYSTEM_COLUMNS, type TableSpec } from './table-schemas.js'

/** A Table API error (sheet §7.1): status, message and nullable detail. */
export class TableFault extends Error {
  override readonly name = 'TableFault'
  constructor(
    readonly status: number,
    message: string,
    readonly detail: string | null,
  ) {
    super(message)
  }
}

/** A stored row: every value a string (sheet §0). */
export type StoredRow = Record<string, string>

/** What the simulated instance's tables start with. */
export interface ServiceNowTablesOptions {
  /** Rows by table; every value is stored as a string, and sys_* fields are added where missing. */
  tables?: Readonly<Record<string, readonly EntityRecord[]>>
  /** More tables, or columns over the built-in ones (incident, sys_user, core_company, customer_account, cmdb_ci…). */
  schemas?: Readonly<Record<string, TableSpec>>
  /** Fields a data policy makes mandatory on insert, by table (none by default). */
  mandatory?: Readonly<Record<string, readonly string[]>>
  /** `glide.invalid_query.returns_no_rows`: a query naming an unknown field returns nothing instead of ignoring the term. */
  invalidQueryReturnsNoRows?: boolean
  /** Rows an ACL hides from the caller; hidden after `sysparm_limit` is applied, as the instance does (sheet §3.2). */
  hidden?: (table: string, row: Readonly<StoredRow>) => boolean
  /** The clock for `sys_created_on` / `sys_updated_on` (default `Date.now`). */
  now?: () => Date
  /**
   * Row order of a query without ORDERBY: `insertion` (default) or `shuffled`, a different order on
   * every query, as a database without a sort may give (sheet §3.2): it catches clients that page unsorted.
   */
  unorderedReads?: 'insertion' | 'shuffled'
}

const NOT_FOUND = ['No Record found', "Record doesn't exist or ACL restricts the record retrieval"] as const

// Sheet §4.2: priority from impact × urgency.
const PRIORITY: Readonly<Record<string, string>> = {
  '11': '1',
  '12': '2',
  '21': '2',
  '13': '3',
  '22': '3',
  '31': '3',
  '23': '4',
  '32': '4',
  '33': '5',
}

interface Table {
  spec: TableSpec
  columns: Map<string, ColumnSpec>
  rows: Map<string, StoredRow>
  /** Every sys_id in ascending order, kept sorted on insert and delete: `ORDERBYsys_id` reads need no sort. */
  ids: string[]
  counter: number
}

/** The simulated instance's tables, held as ServiceNow returns them: every value a string. */
export class ServiceNowTables {
  readonly #tables = new Map<string, Table>()
  readonly #options: ServiceNowTablesOptions
  readonly #journal = new Map<string, string[]>()
  readonly #now: () => Date
  // A fixed-seed generator, so that shuffled reads differ per query yet every test run sees the same.
  readonly #random = seededRandom(0x5eed)

  constructor(options: ServiceNowTablesOptions, user: string) {
    this.#options = options
    this.#now = options.now ?? (() => new Date())
    for (const [name, spec] of Object.entries(BUILT_IN_TABLES)) {
      const extra = options.schemas?.[name]
      // Columns given for a built-in table are added to it: the table keeps its numbering and journals.
      this.#define(
        name,
        extra === undefined ? spec : { ...spec, ...extra, columns: { ...spec.columns, ...extra.columns } },
      )
    }
    for (const [name, spec] of Object.entries(options.schemas ?? {})) {
      if (!(name in BUILT_IN_TABLES)) this.#define(name, spec)
    }
    for (const [name, rows] of Object.entries(options.tables ?? {})) {
      if (!this.#tables.has(name)) this.#define(name, { columns: {} })
      for (const row of rows) this.insert(name, row, user, { seed: true })
    }
  }

  /** Whether the instance has this table. */
  has(table: string): boolean {
    return this.#tables.has(table)
  }

  /** A table's columns (system columns included). */
  columns(table: string): ReadonlyMap<string, ColumnSpec> {
    return this.#table(table).columns
  }

  /** The table's spec. */
  spec(table: string): TableSpec {
    return this.#table(table).spec
  }

  /** A copy of a table's rows, in insertion order, every column present. */
  rows(table: string): StoredRow[] {
    if (!this.#tables.has(table)) return []
    return [...this.#table(table).rows.values()].map((row) => this.#complete(table, row))
  }

  /** How many rows a table holds. */
  count(table: string): number {
    return this.#tables.get(table)?.rows.size ?? 0
  }

  /** One row by sys_id, or the 404 the Table API answers (also for rows an ACL hides). */
  find(table: string, sysId: string): StoredRow {
    const row = this.#table(table).rows.get(sysId)
    if (row === undefined || this.hidden(table, row)) throw new TableFault(404, ...NOT_FOUND)
    return this.#complete(table, row)
  }

  /** A row by sys_id without ACLs (for references and display values), or undefined. */
  lookup(table: string, sysId: string): StoredRow | undefined {
    return this.#tables.get(table)?.rows.get(sysId)
  }

  /** The first row whose columns equal `values` (no ACLs; for coalescing transforms), or undefined. */
  findBy(table: string, values: Readonly<Record<string, string>>): StoredRow | undefined {
    const entries = Object.entries(values)
    for (const row of this.#table(table).rows.values()) {
      if (entries.every(([column, value]) => row[column] === value)) return this.#complete(table, row)
    }
    return undefined
  }

  /** Whether an ACL hides this row from the caller. */
  hidden(table: string, row: Readonly<StoredRow>): boolean {
    return this.#options.hidden?.(table, row) ?? false
  }

  /** The journal entries of a row's journal field, oldest first. */
  journal(table: string, sysId: string, field: string): readonly string[] {
    return this.#journal.get(`${table}/${sysId}/${field}`) ?? []
  }

  /** Inserts a row; a missing mandatory field is the data-policy 403 the instance answers. */
  insert(table: string, fields: EntityRecord, user: string, how: { seed?: boolean } = {}): StoredRow {
    const target = this.#table(table)
    const values = this.#accepted(target, fields, how.seed === true)
    const missing = (this.#options.mandatory?.[table] ?? []).filter((field) => (values[field] ?? '') === '')
    if (missing.length > 0) throw dataPolicy(target, missing)
    const now = dateTime(this.#now())
    const row: StoredRow = {
      ...values,
      sys_id: values.sys_id || randomUUID().replaceAll('-', ''),
      sys_created_on: values.sys_created_on || now,
      sys_created_by: values.sys_created_by || user,
      sys_updated_on: values.sys_updated_on || now,
      sys_updated_by: values.sys_updated_by || user,
      sys_mod_count: values.sys_mod_count || '0',
    }
    if (target.rows.has(row.sys_id as string)) {
      throw new TableFault(403, 'Operation Failed', 'Unique Key violation detected by database')
    }
    target.counter++
    if (target.spec.numberPrefix !== undefined && !row.number) {
      row.number = `${target.spec.numberPrefix}${String(10_000 + target.counter).padStart(7, '0')}`
    }
    if (table === 'incident') this.#incidentDefaults(row, how.seed === true)
    this.#journalWrites(table, row, values, user)
    target.rows.set(row.sys_id as string, row)
    target.ids.splice(lowerBound(target.ids, row.sys_id as string), 0, row.sys_id as string)
    return this.#complete(table, row)
  }

  /** Changes fields of a row (PATCH and PUT alike: omitted fields stay, sheet §2.1); sys_* fields are kept. */
  update(table: string, sysId: string, fields: EntityRecord, user: string): StoredRow {
    const target = this.#table(table)
    const row = target.rows.get(sysId)
    if (row === undefined || this.hidden(table, row)) throw new TableFault(404, ...NOT_FOUND)
    const values = this.#accepted(target, fields, false)
    for (const column of Object.keys(SYSTEM_COLUMNS)) delete values[column]
    const next: StoredRow = {
      ...row,
      ...values,
      sys_updated_on: dateTime(this.#now()),
      sys_updated_by: user,
      sys_mod_count: String(Number(row.sys_mod_count ?? '0') + 1),
    }
    const missing = (this.#options.mandatory?.[table] ?? []).filter((field) => (next[field] ?? '') === '')
    if (missing.length > 0) throw dataPolicy(target, missing)
    if (table === 'incident') this.#incidentDefaults(next, false)
    this.#journalWrites(table, next, values, user)
    // Re-inserting moves the row to the end, as an update moves it in sys_updated_on order.
    target.rows.delete(sysId)
    target.rows.set(sysId, next)
    return this.#complete(table, next)
  }

  /** Deletes a row, writing the `sys_audit` and `sys_audit_delete` rows a delete leaves (sheet §9). */
  delete(table: string, sysId: string, user: string): void {
    const target = this.#table(table)
    const row = target.rows.get(sysId)
    if (row === undefined || this.hidden(table, row)) throw new TableFault(404, ...NOT_FOUND)
    target.rows.delete(sysId)
    target.ids.splice(lowerBound(target.ids, sysId), 1)
    const audit = { tablename: table, documentkey: sysId }
    this.insert(
      'sys_audit',
      { ...audit, fieldname: 'DELETED', oldvalue: 'DELETED', newvalue: 'DELETED', user },
      user,
    )
    const display = target.spec.display ?? (target.columns.has('name') ? 'name' : 'number')
    this.insert('sys_audit_delete', { ...audit, display_value: row[display] ?? '' }, user)
  }

  /** The rows matching the query (ACLs not applied), sorted by its ORDERBY terms, insertion order otherwise. */
  query(table: string, query: ParsedEncodedQuery): StoredRow[] {
    const target = this.#table(table)
    const known = (field: string) => this.#resolvable(table, field)
    const unknown = query.groups.flat(2).some(({ field }) => !known(field))
    if (unknown && this.#options.invalidQueryReturnsNoRows) return []
    // By default an invalid term is ignored and the rest still filters (sheet §7.3).
    const groups = query.groups.map((terms) =>
      terms
        .map((alternatives) => alternatives.filter(({ field }) => known(field)))
        .filter((t) => t.length > 0),
    )
    const order = query.orderBy.filter(({ field }) => known(field))
    const range = order[0]?.field === 'sys_id' && order[0].descending !== true ? rangeTerm(groups) : undefined
    if (range !== undefined) groups[0] = (groups[0] ?? []).filter((terms) => terms !== range.terms)
    // Plain loops: this runs for every row of every page a query reads.
    const matches = (row: StoredRow): boolean => {
      if (groups.length === 0) return true
      for (const terms of groups) {
        let all = true
        for (const alternatives of terms) {
          let any = false
          for (const condition of alternatives) {
            if (this.#holds(table, row, condition)) {
              any = true
              break
            }
          }
          if (!any) {
            all = false
            break
          }
        }
        if (all) return true
      }
      return false
    }
    // sys_id is unique, so a sort that starts with it is the index order; a `sys_id>` bound in every
    // group lets the scan start there (keyset pages).
    const first = order[0]
    if (first?.field === 'sys_id') {
      const ids = first.descending ? [...target.ids].reverse() : target.ids
      let start = first.descending ? 0 : lowerBound(ids, range?.bound ?? lowestBound(groups))
      // The dropped term was `sys_id>bound`: the bound itself does not match.
      if (range?.exclusive && ids[start] === range.bound) start++
      const matched: StoredRow[] = []
      for (let index = start; index < ids.length; index++) {
        const row = target.rows.get(ids[index] as string)
        if (row !== undefined && matches(row)) matched.push(row)
      }
      return matched
    }
    const matched = [...target.rows.values()].filter(matches)
    if (order.length === 0)
      return this.#options.unorderedReads === 'shuffled' ? this.#shuffle(matched) : matched
    // Sort keys are read once per row, and a column compares as numbers only if all its values are numbers.
    const keys = order.map(({ field, descending }) => {
      const values = new Map(matched.map((row) => [row, this.value(table, row, field)] as const))
      const numeric = [...values.values()].every(isNumber)
      return { values, numeric, sign: descending ? -1 : 1 }
    })
    return matched.sort((a, b) => {
      for (const { values, numeric, sign } of keys) {
        const x = values.get(a) ?? ''
        const y = values.get(b) ?? ''
        const difference = numeric ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0
        if (difference !== 0) return difference * sign
      }
      return 0
    })
  }

  #shuffle(rows: StoredRow[]): StoredRow[] {
    for (let index = rows.length - 1; index > 0; index--) {
      const other = Math.floor(this.#random() * (index + 1))
      const swap = rows[index] as StoredRow
      rows[index] = rows[other] as StoredRow
      rows[other] = swap
    }
    return rows
  }

  /** A row's stored value for a column or a dot-walked path (`caller_id.email`), `""` when empty. */
  value(table: string, row: Readonly<StoredRow>, path: string): string {
    if (!path.includes('.')) return row[path] ?? ''
    const [head = '', ...rest] = path.split('.')
    const value = row[head] ?? ''
    if (rest.length === 0) return value
    const column = this.#tables.get(table)?.columns.get(head)
    if (column?.reference === undefined || value === '') return ''
    const referenced = this.lookup(column.reference, value)
    return referenced === undefined ? '' : this.value(column.reference, referenced, rest.join('.'))
  }

  /** Every column of the table on the row, empty as "" (sheet §0: values are never null or absent). */
  #complete(table: string, row: Readonly<StoredRow>): StoredRow {
    const complete: StoredRow = {}
    for (const column of this.#table(table).columns.keys()) complete[column] = row[column] ?? ''
    return complete
  }

  #resolvable(table: string, path: string): boolean {
    const [head = '', ...rest] = path.split('.')
    const column = this.#tables.get(table)?.columns.get(head)
    if (column === undefined) return false
    if (rest.length === 0) return true
    return column.reference !== undefined && this.#resolvable(column.reference, rest.join('.'))
  }

  #holds(table: string, row: Readonly<StoredRow>, condition: EncodedCondition): boolean {
    const actual = this.value(table, row, condition.field)
    const { value } = condition
    // String matching is case-insensitive on instances in practice (sheet §2.4, UNVERIFIED): LIKE family only.
    switch (condition.operator) {
      case '=':
        return actual === value
      case '!=':
        return actual !== value
      case 'ISEMPTY':
      case 'EMPTYSTRING':
        return actual === ''
      case 'ISNOTEMPTY':
        return actual !== ''
      case 'ANYTHING':
        return true
      case '>':
        return compare(actual, value) > 0
      case '>=':
        return compare(actual, value) >= 0
      case '<':
        return compare(actual, value) < 0
      case '<=':
        return compare(actual, value) <= 0
      case 'LIKE':
        return actual.toLowerCase().includes(value.toLowerCase())
      case 'NOT LIKE':
        return !actual.toLowerCase().includes(value.toLowerCase())
      case 'STARTSWITH':
        return actual.toLowerCase().startsWith(value.toLowerCase())
      case 'ENDSWITH':
        return actual.toLowerCase().endsWith(value.toLowerCase())
      case 'IN':
        return value.split(',').includes(actual)
      case 'NOT IN':
        return !value.split(',').includes(actual)
      case 'BETWEEN': {
        const [low = '', high = ''] = value.split('@')
        return compare(actual, low) >= 0 && compare(actual, high) <= 0
      }
    }
  }

  #define(name: string, spec: TableSpec): void {
    const columns = new Map<string, ColumnSpec>(Object.entries(SYSTEM_COLUMNS))
    for (const [column, columnSpec] of Object.entries(spec.columns)) columns.set(column, columnSpec)
    this.#tables.set(name, { spec, columns, rows: new Map(), ids: [], counter: 0 })
  }

  #table(table: string): Table {
    const found = this.#tables.get(table)
    if (found === undefined) throw new TableFault(400, `Invalid table ${table}`, null)
    return found
  }

  // Unknown names in a body are ignored (sheet §2.1, UNVERIFIED); seed rows add their columns instead.
  #accepted(table: Table, fields: EntityRecord, seed: boolean): StoredRow {
    const values: StoredRow = {}
    for (const [field, value] of Object.entries(fields)) {
      if (!table.columns.has(field)) {
        if (!seed) continue
        table.columns.set(field, {})
      }
      values[field] = stringValue(value)
    }
    return values
  }

  #incidentDefaults(row: StoredRow, seed: boolean): void {
    row.state ||= '1'
    row.impact ||= '3'
    row.urgency ||= '3'
    if (!seed || !row.priority) row.priority = PRIORITY[`${row.impact}${row.urgency}`] ?? row.priority ?? ''
    row.active ||= row.state === '7' || row.state === '8' ? 'false' : 'true'
    row.category ||= 'inquiry'
    row.opened_at ||= row.sys_created_on ?? ''
  }

  // Journal fields read as "" and append an entry per write (sheet §2.3).
  #journalWrites(table: string, row: StoredRow, values: StoredRow, user: string): void {
    for (const [column, spec] of this.#table(table).columns) {
      if (spec.type !== 'journal') continue
      const text = values[column]
      if (text) {
        const key = `${table}/${row.sys_id}/${column}`
        this.#journal.set(key, [
          ...(this.#journal.get(key) ?? []),
          `${dateTime(this.#now())}\u0000${user}\u0000${text}`,
        ])
      }
      row[column] = ''
    }
  }
}

/** mulberry32: a small deterministic generator of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** The first index whose id is not below `id`, in an ascending array. */
function lowerBound(ids: readonly string[], id: string): number {
  let low = 0
  let high = ids.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((ids[middle] as string) < id) low = middle + 1
    else high = middle
  }
  return low
}

/** A single group's own `sys_id>` / `sys_id>=` term, which an index range scan satisfies by where it starts. */
function rangeTerm(
  groups: readonly EncodedCondition[][][],
): { terms: EncodedCondition[]; bound: string; exclusive: boolean } | undefined {
  if (groups.length !== 1) return undefined
  for (const terms of groups[0] ?? []) {
    const [condition] = terms
    if (
      terms.length === 1 &&
      condition?.field === 'sys_id' &&
      (condition.operator === '>' || condition.operator === '>=')
    ) {
      return { terms, bound: condition.value, exclusive: condition.operator === '>' }
    }
  }
  return undefined
}

/** The smallest `sys_id>` / `sys_id>=` bound that every group has (rows below it match no group), or "". */
function lowestBound(groups: readonly EncodedCondition[][][]): string {
  let lowest: string | undefined
  for (const terms of groups) {
    const bound = terms
      .filter((alternatives) => alternatives.length === 1)
      .flat()
      .filter(({ field, operator }) => field === 'sys_id' && (operator === '>' || operator === '>='))
      .map(({ value }) => value)
      .sort()
      .at(-1)
    if (bound === undefined) return ''
    lowest = lowest === undefined || bound < lowest ? bound : lowest
  }
  return lowest ?? ''
}

/** A date as ServiceNow stores it: `YYYY-MM-DD HH:MM:SS` UTC. */
export function dateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ')
}

function dataPolicy(table: Table, missing: readonly string[]): TableFault {
  const labels = missing.map((field) => table.columns.get(field)?.label ?? label(field))
  return new TableFault(
    403,
    'Operation Failed',
    `Data Policy Exception: The following fields are mandatory: ${labels.join(', ')}`,
  )
}

// Numbers compare as numbers, everything else (sys_ids, UTC date-times) as strings.
function compare(a: string, b: string): number {
  if (isNumber(a) && isNumber(b)) return Number(a) - Number(b)
  return a < b ? -1 : a > b ? 1 : 0
}

// `-?digits(.digits)?`, by character codes: this runs for every row a comparison filters.
function isNumber(text: string): boolean {
  let index = text.charCodeAt(0) === 45 ? 1 : 0
  const start = index
  let dot = -1
  for (; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code === 46 && dot === -1 && index > start) dot = index
    else if (code < 48 || code > 57) return false
  }
  return index > start && dot !== text.length - 1
}

/** The string the instance stores for a written value: `""` for empty, JSON objects' `value`. */
export function stringValue(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (value instanceof Date) return dateTime(value)
  if (typeof value === 'object') {
    const inner = (value as { value?: unknown }).value
    return typeof inner === 'string' ? inner : JSON.stringify(value)
  }
  return String(value)
}

function label(field: string): string {
  const words = field.replaceAll('_', ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}
