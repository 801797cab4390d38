import {
  type Condition,
  type FieldCondition,
  type QueryLiteral,
  type RawQuery,
  unsupportedCondition,
  ValidationError,
  whereConditions,
} from '@junction/core'

// ServiceNow column names are lower case (custom ones start `u_`); dot-walks join them with `.`.
// Upper case is refused so no name can end in something the parser reads as an operator (`IN`, `LIKE`).
const FIELD = /^[a-z0-9_]+(?:\.[a-z0-9_]+)*$/
const TABLE = /^[a-z0-9_]+$/

/** The operators of the encoded-query builder (sheet §2.4). */
export type EncodedOperator =
  | '='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'LIKE'
  | 'NOT LIKE'
  | 'STARTSWITH'
  | 'ENDSWITH'
  | 'IN'
  | 'NOT IN'
  | 'ISEMPTY'
  | 'ISNOTEMPTY'

/** A value on the right of an operator; `IN` / `NOT IN` take a list. */
export type EncodedValue = Exclude<QueryLiteral, null> | readonly Exclude<QueryLiteral, null>[]

/**
 * The text of a value in an encoded query (`sysparm_query`): the one place values are made safe.
 *
 * The encoded query has no escape for its separator `^` (sheet §2.4: none documented; `^^` is
 * folklore, UNVERIFIED), so a value holding `^` could add a clause (`x^NQactive=true`) and is refused
 * with a `ValidationError`; so is a value starting with `javascript:`, which the instance would
 * evaluate as a server-side expression. Other characters go through as they are (ServiceNow has no
 * quoting); the URL encoding of the whole parameter is the transport's. Dates become UTC
 * `YYYY-MM-DD HH:MM:SS`, the form stored values are compared in.
 */
export function encodedQueryValue(value: Exclude<QueryLiteral, null>): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid('numbers in a query must be finite')
    return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })
  }
  if (value instanceof Date) return serviceNowDateTime(value)
  if (typeof value !== 'string') throw invalid(`cannot compare with a value of type ${typeof value}`)
  if (value.includes('^')) throw invalid('a value cannot contain "^", the encoded-query separator')
  if (/^\s*javascript:/i.test(value))
    throw invalid('a value cannot start with "javascript:" (evaluated by the instance)')
  return value
}

/** A `Date` as ServiceNow stores date-times: `YYYY-MM-DD HH:MM:SS`, UTC, whole seconds. */
export function serviceNowDateTime(value: Date): string {
  if (Number.isNaN(value.getTime())) throw invalid('a date is invalid')
  return value.toISOString().slice(0, 19).replace('T', ' ')
}

/** One condition `<field><operator><value>`, every part checked; `IN` lists may not hold a comma. */
export function encodedCondition(field: string, operator: EncodedOperator, value?: EncodedValue): string {
  const name = fieldName(field)
  if (operator === 'ISEMPTY' || operator === 'ISNOTEMPTY') {
    if (value !== undefined) throw invalid(`${operator} takes no value`)
    return `${name}${operator}`
  }
  if (value === undefined) throw invalid(`${operator} needs a value`)
  if (operator === 'IN' || operator === 'NOT IN') {
    const list = Array.isArray(value) ? value : [value]
    if (list.length === 0) throw invalid(`${operator} needs at least one value`)
    return `${name}${operator}${list.map(listItem).join(',')}`
  }
  if (Array.isArray(value)) throw invalid(`${operator} takes one value, not a list`)
  return `${name}${operator}${encodedQueryValue(value as Exclude<QueryLiteral, null>)}`
}

// The comma separates list items and has no escape either, so an item holding one would become two.
function listItem(value: Exclude<QueryLiteral, null>): string {
  const text = encodedQueryValue(value)
  if (text.includes(',')) throw invalid('a value in an IN list cannot contain ","')
  return text
}

/** `sysparm_query` conditions for a portable `where`, ANDed; `null` and `''` become `ISEMPTY`. */
export function buildEncodedQuery(where: Readonly<Record<string, FieldCondition>> | undefined): string[] {
  return whereConditions(where).map(translate)
}

function translate(condition: Condition): string {
  const { field, operator, value } = condition
  const empty = value === null || value === ''
  switch (operator) {
    case 'eq':
      // ServiceNow stores empty values as "" (never null); ISEMPTY is the operator that matches them.
      return empty ? encodedCondition(field, 'ISEMPTY') : encodedCondition(field, '=', scalar(condition))
    case 'ne':
      return empty ? encodedCondition(field, 'ISNOTEMPTY') : encodedCondition(field, '!=', scalar(condition))
    case 'gt':
      return encodedCondition(field, '>', scalar(condition))
    case 'gte':
      return encodedCondition(field, '>=', scalar(condition))
    case 'lt':
      return encodedCondition(field, '<', scalar(condition))
    case 'lte':
      return encodedCondition(field, '<=', scalar(condition))
    case 'in':
      return encodedCondition(field, 'IN', list(condition))
    case 'notIn':
      return encodedCondition(field, 'NOT IN', list(condition))
    case 'startsWith':
      return encodedCondition(field, 'STARTSWITH', scalar(condition))
    case 'contains':
      return encodedCondition(field, 'LIKE', scalar(condition))
    default:
      // `like` with SQL wildcards has no faithful translation: LIKE is "contains" here.
      throw unsupportedCondition('servicenow', condition)
  }
}

function scalar(condition: Condition): Exclude<QueryLiteral, null> {
  const value = condition.value
  if (value === null || Array.isArray(value)) throw unsupportedCondition('servicenow', condition)
  return value as Exclude<QueryLiteral, null>
}

function list(condition: Condition): Exclude<QueryLiteral, null>[] {
  const value = condition.value
  if (!Array.isArray(value) || value.some((item) => item === null)) {
    throw unsupportedCondition('servicenow', condition)
  }
  return value as Exclude<QueryLiteral, null>[]
}

/**
 * A raw encoded query, the explicit escape hatch: passed as written (the caller vouches for it), ANDed
 * with the connector's paging terms. It has no parameter syntax, since this dialect cannot bind a value.
 */
export function rawEncodedQuery(raw: RawQuery): string {
  if (raw.params !== undefined && Object.keys(raw.params).length > 0) {
    throw invalid('raw encoded queries take no params: the dialect has no way to bind a value safely')
  }
  return raw.text
}

/** Validates a table name before it goes into a path. */
export function tableName(table: string): string {
  if (!TABLE.test(table)) throw invalid(`"${table}" is not a table name (lower-case letters, digits, _)`)
  return table
}

/** Validates a column name (optionally dot-walked) before it goes into a query. */
export function fieldName(field: string): string {
  if (!FIELD.test(field)) throw invalid(`"${field}" is not a column name`)
  return field
}

function invalid(problem: string): ValidationError {
  return new ValidationError({ message: `servicenow: ${problem}`, system: 'servicenow' })
}
