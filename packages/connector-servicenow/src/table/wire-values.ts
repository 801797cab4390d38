import { type EntityRecord, ValidationError } from '@junction/core'
import { serviceNowDateTime } from '../query/encoded-query.js'

/**
 * A record as the Table API takes it: every value a string (sheet §0). Dates become UTC
 * `YYYY-MM-DD HH:MM:SS`, booleans `"true"`/`"false"`, numbers their text, `null` the `""` that clears
 * a field, a reference object its `value`. Anything else is refused with the field's name.
 */
export function wireRecord(record: EntityRecord, table: string): Record<string, string> {
  const wire: Record<string, string> = {}
  for (const [field, value] of Object.entries(record)) wire[field] = wireValue(value, table, field)
  return wire
}

function wireValue(value: unknown, table: string, field: string): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })
  }
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Date) return serviceNowDateTime(value)
  if (typeof value === 'object' && typeof (value as { value?: unknown }).value === 'string') {
    return (value as { value: string }).value
  }
  throw new ValidationError({
    message: `servicenow: ${table}.${field} cannot be written as a ServiceNow value (expected text, number, boolean, Date or null)`,
    system: 'servicenow',
    entity: table,
  })
}

/**
 * A field's stored value as text, whatever shape it came in: a plain string, a reference
 * (`{link, value}`) or a display-value pair (`{value, display_value}` with `sysparm_display_value=all`);
 * `""` when there is none.
 */
export function storedValue(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'object' && value !== null) {
    const inner = (value as { value?: unknown }).value
    if (typeof inner === 'string') return inner
  }
  return ''
}
