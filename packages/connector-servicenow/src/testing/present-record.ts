import type { ServiceNowTables, StoredRow } from './servicenow-tables.js'

/** How a response shows values: `sysparm_display_value`, `sysparm_exclude_reference_link`, `sysparm_fields`. */
export interface Presentation {
  displayValue: 'false' | 'true' | 'all'
  excludeReferenceLink: boolean
  fields: readonly string[] | undefined
  /** The instance's origin, for reference `link`s. */
  origin: string
  /** The session user's offset from UTC in minutes, for date-time display values. */
  timeZoneOffsetMinutes: number
}

/**
 * A stored row as the Table API returns it (sheet §2.3): references as `{link, value}` (or the bare
 * sys_id without links), display values per `sysparm_display_value`, an empty reference as `""`,
 * dot-walked fields as flat keys, unknown `sysparm_fields` names left out.
 */
export function presentRow(
  tables: ServiceNowTables,
  table: string,
  row: Readonly<StoredRow>,
  how: Presentation,
): Record<string, unknown> {
  const names = how.fields ?? [...tables.columns(table).keys()]
  const shown: Record<string, unknown> = {}
  for (const name of names) {
    const field = fieldAt(tables, table, name)
    if (field === undefined) continue
    shown[name] = presentValue(tables, field.table, field.column, tables.value(table, row, name), row, how)
  }
  return shown
}

function presentValue(
  tables: ServiceNowTables,
  table: string,
  column: string,
  value: string,
  row: Readonly<StoredRow>,
  how: Presentation,
): unknown {
  const spec = tables.columns(table).get(column) ?? {}
  const display = displayOf(tables, table, column, value, row, how)
  if (spec.type === 'reference' && spec.reference !== undefined) {
    if (value === '') return ''
    const link = `${how.origin}/api/now/table/${spec.reference}/${value}`
    const withLink = how.excludeReferenceLink ? {} : { link }
    if (how.displayValue === 'false') return how.excludeReferenceLink ? value : { link, value }
    if (how.displayValue === 'true')
      return how.excludeReferenceLink ? display : { display_value: display, ...withLink }
    return { display_value: display, ...withLink, value }
  }
  if (how.displayValue === 'false') return value
  if (how.displayValue === 'true') return display
  return { display_value: display, value }
}

function displayOf(
  tables: ServiceNowTables,
  table: string,
  column: string,
  value: string,
  row: Readonly<StoredRow>,
  how: Presentation,
): string {
  const spec = tables.columns(table).get(column) ?? {}
  switch (spec.type) {
    case 'choice':
      return spec.choices?.[value] ?? value
    case 'reference': {
      if (spec.reference === undefined || value === '' || !tables.has(spec.reference)) return value
      const referenced = tables.lookup(spec.reference, value)
      if (referenced === undefined) return value
      return referenced[displayColumn(tables, spec.reference)] ?? value
    }
    case 'glide_date_time':
      return value === '' ? '' : shift(value, how.timeZoneOffsetMinutes)
    case 'journal':
      return tables
        .journal(table, row.sys_id ?? '', column)
        .map((entry) => {
          const [at = '', user = '', text = ''] = entry.split('\u0000')
          const kind = column === 'work_notes' ? 'Work notes' : 'Additional comments'
          return `${shift(at, how.timeZoneOffsetMinutes)} - ${user} (${kind})\n${text}\n\n`
        })
        .reverse()
        .join('')
    default:
      return value
  }
}

/** The column a table shows for its references. */
export function displayColumn(tables: ServiceNowTables, table: string): string {
  const spec = tables.spec(table)
  if (spec.display !== undefined) return spec.display
  const columns = tables.columns(table)
  return columns.has('name') ? 'name' : columns.has('number') ? 'number' : 'sys_id'
}

function fieldAt(
  tables: ServiceNowTables,
  table: string,
  path: string,
): { table: string; column: string } | undefined {
  const [head = '', ...rest] = path.split('.')
  const spec = tables.columns(table).get(head)
  if (spec === undefined) return undefined
  if (rest.length === 0) return { table, column: head }
  if (spec.reference === undefined || !tables.has(spec.reference)) return undefined
  return fieldAt(tables, spec.reference, rest.join('.'))
}

function shift(value: string, minutes: number): string {
  if (minutes === 0) return value
  const date = new Date(`${value.replace(' ', 'T')}Z`)
  if (Number.isNaN(date.getTime())) return value
  return new Date(date.getTime() + minutes * 60_000).toISOString().slice(0, 19).replace('T', ' ')
}
