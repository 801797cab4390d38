import { storedValue } from '@junction/connector-servicenow'
import type { EntityRecord } from '@junction/core'

/** A field's stored value: references come as `{link, value}` unless links are excluded, empty ones as "". */
export function fieldValue(record: EntityRecord, field: string): string {
  return storedValue(record[field])
}
