import {
  type FieldCondition,
  JunctionError,
  type QueryLiteral,
  type RawQuery,
  type RecordId,
  ValidationError,
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
  const conditions = Object.entries(where ?? {}).map(
    ([field, condition]) => `${propertyPath(field)} eq ${odataLiteral(equalityValue(field, condition))}`,
  )
  return conditions.length === 0 ? undefined : conditions.join(' and ')
}

/**
 * A raw `$filter` with its `:name` parameters replaced by literals. Text inside quoted literals is left
 * alone (V2 has no other use for `:` outside them); a parameter missing from `params`, or given but
 * never used, is an error.
 */
export function bindFilter(raw: RawQuery): string {
  const params = raw.params ?? {}
  const used = new Set<string>()
  let out = ''
  let index = 0
  while (index < raw.text.length) {
    const char = raw.text.charAt(index)
    if (char === "'") {
      const end = quotedEnd(raw.text, index)
      out += raw.text.slice(index, end)
      index = end
      continue
    }
    const bind = char === ':' ? /^:([A-Za-z_][A-Za-z0-9_]*)/.exec(raw.text.slice(index)) : null
    if (bind?.[1] === undefined) {
      out += char
      index++
      continue
    }
    const name = bind[1]
    if (!Object.hasOwn(params, name)) throw invalid(`raw filter uses :${name}, which is not in params`)
    out += odataLiteral(params[name] ?? null)
    used.add(name)
    index += bind[0].length
  }
  const unused = Object.keys(params).filter((name) => !used.has(name))
  if (unused.length > 0) throw invalid(`raw filter params not used in the text: ${unused.join(', ')}`)
  return out
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
function equalityValue(field: string, condition: FieldCondition): QueryLiteral {
  if (condition === null || typeof condition !== 'object' || condition instanceof Date) return condition
  const operators = Object.keys(condition)
  if (operators.length === 1 && operators[0] === 'eq' && condition.eq !== undefined) return condition.eq
  throw new JunctionError({
    code: 'NOT_SUPPORTED',
    message: `sap query: where.${field} uses ${operators.join(', ') || 'no operator'}; only equality is supported yet`,
    system: 'sap',
    operation: 'query',
  })
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

// The index just past the quoted literal opening at `start`; `''` inside it is an escaped quote.
function quotedEnd(text: string, start: number): number {
  let index = start + 1
  while (index < text.length) {
    if (text.charAt(index) === "'") {
      if (text.charAt(index + 1) !== "'") return index + 1
      index += 2
    } else {
      index++
    }
  }
  throw invalid('raw filter has an unterminated string literal')
}

function invalid(problem: string): ValidationError {
  return new ValidationError({ message: `sap: ${problem}`, system: 'sap' })
}
