import {
  bindParams,
  type Condition,
  type FieldCondition,
  type QueryLiteral,
  type RawQuery,
  type RecordId,
  unsupportedCondition,
  ValidationError,
  whereConditions,
} from '@junction/core'

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
// Properties, optionally through navigation properties (`to_Customer/Customer`).
const PROPERTY_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*$/
const INT32_MIN = -(2 ** 31)
const INT32_MAX = 2 ** 31 - 1

/**
 * The OData V2 URI literal for a value (sheet §1.5): the one place values are escaped, for `$filter`,
 * key predicates and bound raw parameters. Strings are quoted with `'` doubled (`'O''Neil'`); dates
 * become `datetime'…'` in UTC; integers beyond Int32 get the Int64 suffix `L`.
 *
 * Without `$metadata` the property's type is unknown, so two choices are guesses (UNVERIFIED per
 * service): fractional numbers are sent as Edm.Decimal (`12.5M`, SAP's usual amount type), and dates
 * as Edm.DateTime (an Edm.DateTimeOffset property wants `datetimeoffset'…Z'`).
 */
export function odataLiteral(value: QueryLiteral): string {
  if (value === null) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return odataNumber(value)
  if (value instanceof Date) return odataDateTime(value)
  if (typeof value !== 'string') throw invalid(`cannot compare with a value of type ${typeof value}`)
  return `'${value.replaceAll("'", "''")}'`
}

/**
 * The key predicate of a record, e.g. `('1000123')` or `(SalesOrder='4711',SalesOrderItem='10')`,
 * each literal percent-encoded as the SAP Cloud SDK does, so no key can add a path segment or a query.
 */
export function keyPredicate(id: RecordId): string {
  if (typeof id === 'string') return `(${encodeURIComponent(odataLiteral(id))})`
  const parts = Object.entries(id)
  if (parts.length === 0) throw invalid('a composite key needs at least one part')
  return `(${parts.map(([name, value]) => `${propertyName(name)}=${encodeURIComponent(odataLiteral(value))}`).join(',')})`
}

/** `$filter` for a portable `where`: `A eq 'x' and B eq 1`; undefined when there are no conditions. */
export function buildFilter(where: Readonly<Record<string, FieldCondition>> | undefined): string | undefined {
  const conditions = whereConditions(where).map(
    (condition) => `${propertyPath(condition.field)} eq ${odataLiteral(equalityValue(condition))}`,
  )
  return conditions.length === 0 ? undefined : conditions.join(' and ')
}

/**
 * A raw `$filter` with its `:name` parameters replaced by literals. Text inside quoted literals is left
 * alone; a parameter missing from `params`, or given but never used, is an error.
 */
export function bindFilter(raw: RawQuery): string {
  return bindParams(raw, { system: 'sap', literal: odataLiteral, quoteEscape: 'double' })
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

// This first version translates equality only; other operators arrive with the full filter builder.
function equalityValue(condition: Condition): QueryLiteral {
  if (condition.operator !== 'eq') throw unsupportedCondition('sap', condition)
  return condition.value
}

function odataNumber(value: number): string {
  if (!Number.isFinite(value)) throw invalid('numbers in a query must be finite')
  if (!Number.isInteger(value)) return `${plain(value)}M`
  return value >= INT32_MIN && value <= INT32_MAX ? plain(value) : `${plain(value)}L`
}

// No exponent notation, which String() uses for very large and very small numbers.
function plain(value: number): string {
  return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })
}

// Edm.DateTime literals carry no offset: the value is UTC (the SDK sends milliseconds too).
function odataDateTime(value: Date): string {
  if (Number.isNaN(value.getTime())) throw invalid('a date in a query is invalid')
  return `datetime'${value.toISOString().replace(/(?:\.000)?Z$/, '')}'`
}

function invalid(problem: string): ValidationError {
  return new ValidationError({ message: `sap: ${problem}`, system: 'sap' })
}
