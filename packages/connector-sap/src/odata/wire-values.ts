import { type Converter, convert, type EntityRecord, TransportError, ValidationError } from '@junction/core'
import type { EdmProperty, EntitySetInfo, ODataVersion } from '../metadata/service-metadata.js'

/** What a reader does with SAP's 9999-12-31 "no end date": `null` or keep the date. */
export type OpenEnd = 'null' | 'keep'

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

function readers(openEnd: OpenEnd): Readonly<Record<string, Converter<unknown>>> {
  const date = convert.sapDate({ openEnd })
  return {
    'Edm.Decimal': convert.decimal,
    'Edm.Int64': convert.int64,
    'Edm.DateTime': date,
    'Edm.DateTimeOffset': date,
    'Edm.Date': date,
    'Edm.Time': convert.sapTime,
    'Edm.Guid': convert.guid,
  }
}

const cache = new Map<OpenEnd, Readonly<Record<string, Converter<unknown>>>>()

/**
 * Turns an entity as the wire carries it into typed values with core's converters (sheet §1.5, §2):
 * Edm.Decimal and Int64 as exact decimal text (never a float), DateTime/DateTimeOffset/Date as `Date`
 * (`/Date(ms)/`, `/Date(ms+0000)/` or ISO), the 9999-12-31 sentinel per `openEnd`, Edm.Time `PT…` as
 * `"13:20:05"`, Guid lower-case, Double/Single as numbers. Properties `$metadata` does not declare
 * (navigation, annotations) pass through. A value of the wrong shape is a `MALFORMED_RESPONSE`
 * naming the entity set and property. Types `raw` in place and returns it.
 */
export function fromWire(raw: EntityRecord, set: EntitySetInfo | undefined, openEnd: OpenEnd): EntityRecord {
  if (set === undefined) return raw
  let byType = cache.get(openEnd)
  if (byType === undefined) {
    byType = readers(openEnd)
    cache.set(openEnd, byType)
  }
  // `raw` is the connector's own copy (from `toFields`), so it is typed in place.
  for (const name in raw) {
    const property = set.properties.get(name)
    if (property !== undefined) raw[name] = readValue(raw[name], property, set, byType)
  }
  return raw
}

function readValue(
  value: unknown,
  property: EdmProperty,
  set: EntitySetInfo,
  byType: Readonly<Record<string, Converter<unknown>>>,
): unknown {
  if (value === null || value === undefined || value === '') return value ?? null
  if (property.type === 'Edm.Double' || property.type === 'Edm.Single') {
    const number = typeof value === 'number' ? value : Number(value)
    if (Number.isNaN(number)) throw malformed(set, property)
    return number
  }
  const reader = byType[property.type]
  if (reader === undefined) return value
  const result = reader.transform(value)
  if (!result.ok) throw malformed(set, property)
  return result.value
}

/**
 * Turns caller values into the wire form of a write payload: `Date` → `/Date(ms)/` (DateTimeOffset
 * `/Date(ms+0000)/`) in V2, ISO text in V4 (`Edm.Date` as `2024-01-15`); numbers for Decimal and Int64
 * → exact text (V2 JSON and V4 with `IEEE754Compatible=true` carry them as strings); `"13:20:05"` →
 * `PT13H20M05S` for Edm.Time. Nested arrays (deep insert) and unknown properties pass through.
 */
export function toWire(
  values: EntityRecord,
  set: EntitySetInfo | undefined,
  version: ODataVersion,
): EntityRecord {
  const out: EntityRecord = {}
  for (const [name, value] of Object.entries(values)) {
    const property = set?.properties.get(name)
    out[name] = writeValue(value, property, version, set?.name ?? 'record')
  }
  return out
}

function writeValue(
  value: unknown,
  property: EdmProperty | undefined,
  version: ODataVersion,
  where: string,
): unknown {
  if (value === null || value === undefined) return value
  const type = property?.type
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw badValue(where, property?.name, 'an invalid Date')
    if (version === 'v4') return type === 'Edm.Date' ? value.toISOString().slice(0, 10) : value.toISOString()
    return `/Date(${value.getTime()}${type === 'Edm.DateTimeOffset' ? '+0000' : ''})/`
  }
  if (type === 'Edm.Decimal' || type === 'Edm.Int64') {
    const parsed = (type === 'Edm.Decimal' ? convert.decimal : convert.int64).transform(value)
    if (!parsed.ok) throw badValue(where, property?.name, `not an ${type}`)
    return parsed.value
  }
  if (type === 'Edm.Time' && typeof value === 'string' && !value.startsWith('PT')) {
    const inverse = convert.sapTime.inverse?.transform(value)
    if (inverse === undefined || !inverse.ok) throw badValue(where, property?.name, 'not a time of day')
    return inverse.value
  }
  if (type === 'Edm.Date' && version === 'v4' && typeof value === 'string' && !DATE_ONLY.test(value)) {
    throw badValue(where, property?.name, 'not a date (YYYY-MM-DD)')
  }
  return value
}

function malformed(set: EntitySetInfo, property: EdmProperty): TransportError {
  return new TransportError({
    code: 'MALFORMED_RESPONSE',
    message: `sap: ${set.name}.${property.name} is not a valid ${property.type} value`,
    system: 'sap',
  })
}

function badValue(where: string, name: string | undefined, problem: string): ValidationError {
  return new ValidationError({ message: `sap: ${where}.${name ?? '?'} is ${problem}`, system: 'sap' })
}
