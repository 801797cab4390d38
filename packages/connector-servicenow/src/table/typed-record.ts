import { convert, type EntityRecord, type TransformIssue } from '@junction/core'
import type { ColumnDescription } from './field-check.js'

/** How to read a column: the Table API sends every value as a string, `""` for empty (sheet §0). */
export type ColumnKind =
  | 'string'
  | 'integer'
  | 'decimal'
  | 'boolean'
  | 'date_time'
  | 'date'
  | 'sys_id'
  | 'display'

const CONVERTERS = {
  string: convert.snValue,
  integer: convert.integer,
  decimal: convert.decimal,
  boolean: convert.snBoolean,
  date_time: convert.snDateTime,
  date: convert.snDate,
  sys_id: convert.sysId,
  display: convert.snDisplayValue,
} as const

/** A record with typed values, and the issues of the values that did not convert (left out of `values`). */
export interface TypedRecord {
  values: Record<string, unknown>
  issues: Array<{ field: string; issue: TransformIssue }>
}

/**
 * Reads a record's values with core's ServiceNow converters: references and `{value, display_value}`
 * unwrap to the stored value (or, for `display`, the display value), `""` becomes `undefined`,
 * date-times parse as UTC `YYYY-MM-DD HH:MM:SS`, `"true"` / `"false"` become booleans, numbers stay
 * exact (`decimal` is text). Columns not listed are left as they came.
 */
export function typedRecord(record: EntityRecord, kinds: Readonly<Record<string, ColumnKind>>): TypedRecord {
  const values: Record<string, unknown> = { ...record }
  const issues: TypedRecord['issues'] = []
  for (const [field, kind] of Object.entries(kinds)) {
    if (!(field in record)) continue
    // The stored (or displayed) text first: references and `all` objects unwrap to it.
    const text = (kind === 'display' ? convert.snDisplayValue : convert.snValue).transform(record[field])
    if (text.ok && text.value === '') {
      values[field] = undefined
      continue
    }
    const result = text.ok ? CONVERTERS[kind].transform(text.value) : text
    if (result.ok) values[field] = result.value
    else {
      delete values[field]
      for (const issue of result.issues) issues.push({ field, issue })
    }
  }
  return { values, issues }
}

// sys_dictionary internal types to the way their values are read; others stay text.
const KIND_OF_TYPE: Readonly<Record<string, ColumnKind>> = {
  glide_date_time: 'date_time',
  due_date: 'date_time',
  glide_date: 'date',
  boolean: 'boolean',
  integer: 'integer',
  longint: 'integer',
  decimal: 'decimal',
  float: 'decimal',
  currency: 'decimal',
  price: 'decimal',
  reference: 'sys_id',
  GUID: 'sys_id',
}

/** The column kinds for `typedRecord` from a table's `describe`: dates, booleans, numbers, references. */
export function columnKinds(columns: readonly ColumnDescription[]): Record<string, ColumnKind> {
  return Object.fromEntries(columns.map((column) => [column.name, KIND_OF_TYPE[column.type] ?? 'string']))
}
