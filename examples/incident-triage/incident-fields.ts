import type { EntityRecord } from '@junction/core'

/** A field's stored value: references come as `{link, value}` unless links are excluded, empty ones as "". */
export function fieldValue(record: EntityRecord, field: string): string {
  const value = record[field]
  if (typeof value === 'string') return value
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { value?: unknown }).value === 'string'
  ) {
    return (value as { value: string }).value
  }
  return ''
}
