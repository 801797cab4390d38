import { type QueryLiteral, type RecordId, ValidationError } from '@junction/core'
import type { EntitySetInfo, ODataVersion } from '../metadata/service-metadata.js'

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
// Properties, optionally through navigation properties (`to_Customer/Customer`).
const PROPERTY_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*$/
const INTEGER = /^-?\d+$/
const DECIMAL = /^-?\d+(?:\.\d+)?$/
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const TIME = /^PT(?:\d{1,2}H)?(?:\d{1,2}M)?(?:\d{1,2}(?:\.\d{1,9})?S)?$/
const CLOCK = /^(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?$/
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const INT32_MIN = -(2 ** 31)
const INT32_MAX = 2 ** 31 - 1

/** How to write a literal: the protocol version, and the EDM type when `$metadata` says it. */
export interface LiteralContext {
  version: ODataVersion
  /** The property's EDM type, e.g. `Edm.Guid`; without it the type is inferred from the value. */
  type?: string | undefined
}

/**
 * The OData URI literal for a value (sheet §1.5 for V2, §2 for V4): the one place values are escaped,
 * for `$filter`, key predicates and bound raw parameters. Strings are quoted with `'` doubled
 * (`'O''Neil'`). With the property's type known, V2 gets its typed forms (`guid'…'`, `datetime'…'`,
 * `datetimeoffset'…'`, `time'PT…'`, `12.5M`, `10L`, `1.5D`) and V4 its bare ones (`2024-01-15`,
 * GUIDs and date-times unquoted). A value that cannot be of the type is a `ValidationError`, so text
 * never reaches a URL unquoted.
 *
 * Without a type two choices are guesses (UNVERIFIED per service): a fractional number is sent as
 * Edm.Decimal, and a `Date` as Edm.DateTime in V2 (an Edm.DateTimeOffset property wants
 * `datetimeoffset'…Z'`, which `$metadata` gives).
 */
export function odataLiteral(value: QueryLiteral, context: LiteralContext = { version: 'v2' }): string {
  if (value === null) return 'null'
  const { version, type } = context
  if (type !== undefined && type !== 'Edm.String') return typedLiteral(value, type, version)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return untypedNumber(value, version)
  if (value instanceof Date) return version === 'v2' ? `datetime'${dateTimeText(value)}'` : isoText(value)
  if (typeof value !== 'string') throw invalid(`cannot write a value of type ${typeof value} in a query`)
  return `'${value.replaceAll("'", "''")}'`
}

function typedLiteral(value: Exclude<QueryLiteral, null>, type: string, version: ODataVersion): string {
  const v2 = version === 'v2'
  switch (type) {
    case 'Edm.Boolean':
      if (typeof value !== 'boolean') throw mismatch(value, type)
      return String(value)
    case 'Edm.Byte':
    case 'Edm.SByte':
    case 'Edm.Int16':
    case 'Edm.Int32':
      return numericText(value, type, INTEGER)
    case 'Edm.Int64':
      return `${numericText(value, type, INTEGER)}${v2 ? 'L' : ''}`
    case 'Edm.Decimal':
      return `${numericText(value, type, DECIMAL)}${v2 ? 'M' : ''}`
    case 'Edm.Double':
      return `${numericText(value, type, DECIMAL)}${v2 ? 'D' : ''}`
    case 'Edm.Single':
      return `${numericText(value, type, DECIMAL)}${v2 ? 'F' : ''}`
    case 'Edm.Guid': {
      if (typeof value !== 'string' || !GUID.test(value)) throw mismatch(value, type)
      return v2 ? `guid'${value.toLowerCase()}'` : value.toLowerCase()
    }
    case 'Edm.DateTime':
      return `datetime'${dateTimeText(dateValue(value, type))}'`
    case 'Edm.DateTimeOffset': {
      const text = isoText(dateValue(value, type))
      return v2 ? `datetimeoffset'${text}'` : text
    }
    case 'Edm.Date':
      return dateValue(value, type).toISOString().slice(0, 10)
    case 'Edm.Time':
      return `time'${durationText(value, type)}'`
    case 'Edm.TimeOfDay': {
      if (typeof value !== 'string' || !CLOCK.test(value)) throw mismatch(value, type)
      return value
    }
    default:
      if (typeof value !== 'string') throw mismatch(value, type)
      return `'${value.replaceAll("'", "''")}'`
  }
}

/**
 * The key predicate of a record, e.g. `('1000123')` or `(SalesOrder='4711',SalesOrderItem='10')`,
 * each literal typed from `$metadata` when known and percent-encoded as the SAP Cloud SDK does, so no
 * key can add a path segment or a query. A single key is written positionally, a composite by name.
 */
export function keyPredicate(id: RecordId, version: ODataVersion, set?: EntitySetInfo): string {
  const literal = (name: string | undefined, value: string | number) =>
    encodeURIComponent(
      odataLiteral(value, {
        version,
        type: name === undefined ? undefined : set?.properties.get(name)?.type,
      }),
    )
  if (typeof id === 'string') {
    if (set !== undefined && set.keys.length > 1)
      throw invalid(`${set.name} has a composite key (${set.keys.join(', ')}); pass each part by name`)
    return `(${literal(set?.keys[0], id)})`
  }
  const parts = Object.entries(id)
  if (parts.length === 0) throw invalid('a composite key needs at least one part')
  if (set !== undefined) {
    const missing = set.keys.filter((key) => !(key in id))
    const extra = parts.map(([name]) => name).filter((name) => !set.keys.includes(name))
    if (missing.length > 0 || extra.length > 0)
      throw invalid(`the key of ${set.name} is ${set.keys.join(', ')}; got ${Object.keys(id).join(', ')}`)
  }
  return `(${parts.map(([name, value]) => `${propertyName(name)}=${literal(name, value)}`).join(',')})`
}

/** The key as one string for write results: the value of a single key, else `A='x',B='y'`. */
export function keyText(id: RecordId): string {
  if (typeof id === 'string') return id
  const parts = Object.entries(id)
  if (parts.length === 1) return String(parts[0]?.[1])
  return parts.map(([name, value]) => `${name}=${String(value)}`).join(',')
}

/** Validates an entity set or property name before it goes into a URL. */
export function propertyName(name: string): string {
  if (!NAME.test(name)) throw invalid(`"${name}" is not an OData name (letters, digits, underscores)`)
  return name
}

/** Validates a property path (`Prop` or `to_Nav/Prop`) before it goes into a query option. */
export function propertyPath(path: string): string {
  if (!PROPERTY_PATH.test(path)) throw invalid(`"${path}" is not an OData property path`)
  return path
}

function numericText(value: Exclude<QueryLiteral, null>, type: string, pattern: RegExp): string {
  const text = typeof value === 'number' ? finiteText(value) : typeof value === 'string' ? value.trim() : ''
  if (!pattern.test(text)) throw mismatch(value, type)
  return text
}

function untypedNumber(value: number, version: ODataVersion): string {
  const text = finiteText(value)
  if (version === 'v4') return text
  if (!Number.isInteger(value)) return `${text}M`
  return value >= INT32_MIN && value <= INT32_MAX ? text : `${text}L`
}

// No exponent notation, which String() uses for very large and very small numbers.
function finiteText(value: number): string {
  if (!Number.isFinite(value)) throw invalid('numbers in a query must be finite')
  return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })
}

function dateValue(value: Exclude<QueryLiteral, null>, type: string): Date {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'string' && (DATE_ONLY.test(value) || /^\d{4}-\d{2}-\d{2}T/.test(value))
        ? new Date(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value)
        : undefined
  if (date === undefined || Number.isNaN(date.getTime())) throw mismatch(value, type)
  return date
}

// Edm.DateTime carries no offset: the value is UTC, written without a zone.
function dateTimeText(value: Date): string {
  return isoText(value).replace(/Z$/, '')
}

function isoText(value: Date): string {
  if (Number.isNaN(value.getTime())) throw invalid('a date in a query is invalid')
  return value.toISOString().replace('.000Z', 'Z')
}

function durationText(value: Exclude<QueryLiteral, null>, type: string): string {
  if (typeof value !== 'string') throw mismatch(value, type)
  if (TIME.test(value) && value !== 'PT') return value
  const clock = CLOCK.exec(value)
  if (clock === null) throw mismatch(value, type)
  return `PT${clock[1]}H${clock[2]}M${clock[3]}${clock[4] ?? ''}S`
}

function mismatch(value: unknown, type: string): ValidationError {
  // The value itself stays out of the message: it may be anything a caller put in a query.
  const shown =
    typeof value === 'string' ? 'this text' : value instanceof Date ? 'this date' : `this ${typeof value}`
  return invalid(`${shown} is not a valid ${type} value`)
}

/** A caller's bad input, named where it went wrong. */
export function invalid(problem: string): ValidationError {
  return new ValidationError({ message: `sap: ${problem}`, system: 'sap' })
}
