import type { SimProperty } from './service-catalog.js'

/** A record as the simulator keeps it: dates as ms since the epoch, decimals and Int64 as text. */
export type SimRecord = Record<string, unknown>

const SAP_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/
const DATE_TYPES = new Set(['Edm.DateTime', 'Edm.DateTimeOffset', 'Edm.Date'])

/**
 * A value from a payload or a seed into the kept form: `/Date(ms)/`, ISO text or a `Date` → ms;
 * Decimal and Int64 numbers → text. `undefined` when the value cannot be of the type.
 */
export function readValue(
  value: unknown,
  property: SimProperty,
): { ok: true; value: unknown } | { ok: false } {
  if (value === null || value === undefined) return { ok: true, value: null }
  if (DATE_TYPES.has(property.type)) {
    if (value instanceof Date) return { ok: true, value: value.getTime() }
    if (typeof value !== 'string') return { ok: false }
    const legacy = SAP_DATE.exec(value)
    const ms = legacy
      ? Number(legacy[1])
      : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value)
    return Number.isNaN(ms) ? { ok: false } : { ok: true, value: ms }
  }
  switch (property.type) {
    case 'Edm.Decimal':
    case 'Edm.Int64': {
      const text = typeof value === 'number' ? String(value) : value
      return typeof text === 'string' && /^-?\d+(\.\d+)?$/.test(text)
        ? { ok: true, value: text }
        : { ok: false }
    }
    case 'Edm.Boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false }
    case 'Edm.Time':
      return typeof value === 'string' && /^PT/.test(value) ? { ok: true, value } : { ok: false }
    default:
      return typeof value === 'string' || typeof value === 'number' ? { ok: true, value } : { ok: false }
  }
}

/**
 * A kept value as the wire carries it (sheet §1.5, §2): V2 `/Date(ms)/` and `/Date(ms+0000)/`, Decimal
 * and Int64 as strings; V4 ISO dates, and Decimal/Int64 as numbers unless the client asked
 * `IEEE754Compatible=true`.
 */
export function writeValue(
  value: unknown,
  property: SimProperty,
  version: 'v2' | 'v4',
  ieee754: boolean,
): unknown {
  if (value === null || value === undefined) return null
  if (DATE_TYPES.has(property.type) && typeof value === 'number') {
    if (version === 'v2') return `/Date(${value}${property.type === 'Edm.DateTimeOffset' ? '+0000' : ''})/`
    const iso = new Date(value).toISOString()
    return property.type === 'Edm.Date' ? iso.slice(0, 10) : iso
  }
  if ((property.type === 'Edm.Decimal' || property.type === 'Edm.Int64') && version === 'v4' && !ieee754) {
    return Number(value)
  }
  return value
}

/** The ETag of a record whose concurrency property holds `ms` (sheet §3.3: V2 a weak, URL-encoded literal). */
export function etagFor(ms: number, version: 'v2' | 'v4'): string {
  const iso = new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z')
  return version === 'v2' ? `W/"datetimeoffset'${encodeURIComponent(iso)}'"` : `W/"${iso}"`
}
