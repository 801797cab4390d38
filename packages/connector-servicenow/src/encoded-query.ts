import {
  type Condition,
  type FieldCondition,
  type QueryLiteral,
  type RawQuery,
  unsupportedCondition,
  ValidationError,
  whereConditions,
} from '@junction/core'

// Column names, dot-walked through references (`caller_id.email`).
const FIELD = /^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/
const TABLE = /^[A-Za-z0-9_]+$/

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
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalid('a date in a query is invalid')
    return value.toISOString().slice(0, 19).replace('T', ' ')
  }
  if (typeof value !== 'string') throw invalid(`cannot compare with a value of type ${typeof value}`)
  if (value.includes('^')) throw invalid('a value cannot contain "^", the encoded-query separator')
  if (/^\s*javascript:/i.test(value))
    throw invalid('a value cannot start with "javascript:" (evaluated by the instance)')
  return value
}

/** `sysparm_query` conditions for a portable `where`: `a=x^b=y`; `null` and `''` become `ISEMPTY`. */
export function buildEncodedQuery(where: Readonly<Record<string, FieldCondition>> | undefined): string[] {
  return whereConditions(where).map((condition) => {
    const field = condition.field
    const value = equalityValue(condition)
    // ServiceNow stores empty values as "" (never null); ISEMPTY is the operator that matches them.
    if (value === null || value === '') return `${fieldName(field)}ISEMPTY`
    return `${fieldName(field)}=${encodedQueryValue(value)}`
  })
}

/**
 * A raw encoded query, to be ANDed with the connector's paging terms. It has no parameter syntax
 * (values cannot be quoted in this dialect), and may not use `^NQ` or `ORDERBY`: paging appends
 * `^sys_id>…^ORDERBYsys_id`, which `^NQ` would bind to the last group only and another order would break.
 */
export function rawEncodedQuery(raw: RawQuery): string {
  if (raw.params !== undefined && Object.keys(raw.params).length > 0) {
    throw invalid('raw encoded queries take no params: the dialect has no way to bind a value safely')
  }
  if (/\^NQ|(?:^|\^)ORDERBY/.test(raw.text)) {
    throw invalid('a raw encoded query cannot use ^NQ or ORDERBY (the connector pages by sys_id)')
  }
  return raw.text
}

/** Validates a table name before it goes into a path. */
export function tableName(table: string): string {
  if (!TABLE.test(table)) throw invalid('table must be a table name (letters, digits, underscores)')
  return table
}

/** Validates a column name (optionally dot-walked) before it goes into a query. */
export function fieldName(field: string): string {
  if (!FIELD.test(field)) throw invalid(`"${field}" is not a column name`)
  return field
}

// This first version translates equality only; other operators arrive with the full query builder.
function equalityValue(condition: Condition): QueryLiteral {
  if (condition.operator !== 'eq') throw unsupportedCondition('servicenow', condition)
  return condition.value
}

function invalid(problem: string): ValidationError {
  return new ValidationError({ message: `servicenow: ${problem}`, system: 'servicenow' })
}
