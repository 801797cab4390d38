import { randomUUID } from 'node:crypto'
import type { EntityRecord } from '@junction/core'
import type { EncodedCondition, ParsedEncodedQuery } from './encoded-query-parser.js'

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

/** What the simulated instance's tables start with. */
export interface ServiceNowTablesOptions {
  /** Rows by table; every value is stored as a string, and sys_* fields are added where missing. */
  tables?: Readonly<Record<string, readonly EntityRecord[]>>
  /** Fields a data policy makes mandatory on insert, by table (none by default). */
  mandatory?: Readonly<Record<string, readonly string[]>>
  /** `glide.invalid_query.returns_no_rows`: a query naming an unknown field returns nothing instead of ignoring the term. */
  invalidQueryReturnsNoRows?: boolean
}

const SYSTEM_FIELDS = [
  'sys_id',
  'sys_created_on',
  'sys_created_by',
  'sys_updated_on',
  'sys_updated_by',
  'sys_mod_count',
]

/** The simulated instance's rows, held as ServiceNow returns them: every value a string. */
export class ServiceNowTables {
  readonly #tables = new Map<string, EntityRecord[]>()
  readonly #mandatory: Readonly<Record<string, readonly string[]>>
  readonly #invalidQueryReturnsNoRows: boolean
  readonly #user: string

  constructor(options: ServiceNowTablesOptions, user: string) {
    this.#mandatory = options.mandatory ?? {}
    this.#invalidQueryReturnsNoRows = options.invalidQueryReturnsNoRows ?? false
    this.#user = user
    for (const [table, rows] of Object.entries(options.tables ?? { incident: [] })) {
      this.#tables.set(
        table,
        rows.map((row) => this.#stored(row)),
      )
    }
  }

  /** A copy of a table's rows, in insertion order. */
  rows(table: string): EntityRecord[] {
    return this.#tables.has(table) ? this.#complete(table, this.#table(table)) : []
  }

  /** One row by sys_id, or the 404 the Table API answers (also for rows an ACL hides). */
  find(table: string, sysId: string): EntityRecord {
    const row = this.#table(table).find((candidate) => candidate.sys_id === sysId)
    if (row === undefined) {
      throw new TableFault(
        404,
        'No Record found',
        "Record doesn't exist or ACL restricts the record retrieval",
      )
    }
    return this.#complete(table, [row])[0] ?? row
  }

  /** Inserts a row; a missing mandatory field is the data-policy 403 the instance answers. */
  insert(table: string, fields: EntityRecord): EntityRecord {
    const rows = this.#table(table)
    const missing = (this.#mandatory[table] ?? []).filter((field) => stringValue(fields[field]) === '')
    if (missing.length > 0) {
      throw new TableFault(
        403,
        'Operation Failed',
        `Data Policy Exception: The following fields are mandatory: ${missing.map(label).join(', ')}`,
      )
    }
    const row = this.#stored(fields)
    rows.push(row)
    return this.#complete(table, [row])[0] ?? row
  }

  /** The rows matching every condition, sorted by the ORDERBY terms (insertion order otherwise). */
  query(table: string, query: ParsedEncodedQuery): EntityRecord[] {
    const rows = this.#table(table)
    const known = new Set([...SYSTEM_FIELDS, ...rows.flatMap((row) => Object.keys(row))])
    const unknown = query.conditions.some(({ field }) => !known.has(field))
    if (unknown && this.#invalidQueryReturnsNoRows) return []
    // By default an invalid term is ignored and the rest still filters (sheet §7.3).
    const conditions = query.conditions.filter(({ field }) => known.has(field))
    const matched = rows.filter((row) =>
      conditions.every((condition) => holds(stringValue(row[condition.field]), condition)),
    )
    for (const { field, descending } of [...query.orderBy].reverse()) {
      matched.sort((a, b) => compare(stringValue(a[field]), stringValue(b[field])) * (descending ? -1 : 1))
    }
    return this.#complete(table, matched)
  }

  // Every column of the table on every row, empty as "" (sheet §0: values are never null or absent);
  // the columns are those any row of the table has.
  #complete(table: string, rows: readonly EntityRecord[]): EntityRecord[] {
    const columns = new Set(this.#table(table).flatMap((row) => Object.keys(row)))
    return rows.map((row) => ({ ...Object.fromEntries([...columns].map((column) => [column, ''])), ...row }))
  }

  #table(table: string): EntityRecord[] {
    const rows = this.#tables.get(table)
    if (rows === undefined) throw new TableFault(400, `Invalid table ${table}`, null)
    return rows
  }

  // Sheet §0 and §4.1: every value is a string, empty as "", system fields maintained by the instance.
  #stored(fields: EntityRecord): EntityRecord {
    const now = new Date().toISOString().slice(0, 19).replace('T', ' ')
    const row: EntityRecord = {}
    for (const [field, value] of Object.entries(fields)) row[field] = stringValue(value)
    return {
      ...row,
      sys_id: row.sys_id || randomUUID().replaceAll('-', ''),
      sys_created_on: row.sys_created_on || now,
      sys_created_by: row.sys_created_by || this.#user,
      sys_updated_on: row.sys_updated_on || now,
      sys_updated_by: row.sys_updated_by || this.#user,
      sys_mod_count: row.sys_mod_count || '0',
    }
  }
}

function holds(actual: string, { operator, value }: EncodedCondition): boolean {
  switch (operator) {
    case '=':
      return actual === value
    case '!=':
      return actual !== value
    case 'ISEMPTY':
      return actual === ''
    case 'ISNOTEMPTY':
      return actual !== ''
    case '>':
      return compare(actual, value) > 0
    case '>=':
      return compare(actual, value) >= 0
    case '<':
      return compare(actual, value) < 0
    case '<=':
      return compare(actual, value) <= 0
  }
}

// Numbers compare as numbers, everything else (sys_ids, UTC date-times) as strings.
function compare(a: string, b: string): number {
  const numeric = /^-?\d+(\.\d+)?$/
  if (numeric.test(a) && numeric.test(b)) return Number(a) - Number(b)
  return a < b ? -1 : a > b ? 1 : 0
}

function stringValue(value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)
}

// Column labels as the data-policy message shows them: `short_description` → `Short description`.
function label(field: string): string {
  const words = field.replaceAll('_', ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}
