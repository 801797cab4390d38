import {
  bindParams,
  type Condition,
  type Query,
  type QueryLiteral,
  type RawQuery,
  unsupportedCondition,
  ValidationError,
  whereConditions,
} from '@junction/core'

// API names: a letter, then letters, digits and underscores (custom `__c`, relationship `__r`);
// dots walk relationships (`Account.Name`).
const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/

// Salesforce SOQL reference (sheet §3.4): `\` and `'` must be escaped with `\`; `\n \r \t \b \f \"`
// and `\uXXXX` are the other valid escapes. One pass over the string, so a backslash is escaped once
// and is never mistaken for the start of an escape the function itself wrote ("backslash first").
const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this escapes.
const NEEDS_ESCAPE = /[\\'"\n\r\t\b\f\u0000-\u001f\u007f]/g

/**
 * The SOQL literal for a value: the one place values are escaped (every query this connector builds
 * and every bound parameter of a raw query goes through it). Strings are quoted and escaped; dates
 * become unquoted datetime literals in UTC; numbers, booleans and `null` are written bare.
 */
export function soqlLiteral(value: QueryLiteral): string {
  if (value === null) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return soqlNumber(value)
  if (value instanceof Date) return soqlDateTime(value)
  if (typeof value !== 'string') throw invalid(`cannot compare with a value of type ${typeof value}`)
  return `'${value.replace(NEEDS_ESCAPE, (char) => ESCAPES[char] ?? unicodeEscape(char))}'`
}

/** How the builder renders values whose SOQL form depends on the field (date vs datetime). */
export interface SoqlBuildOptions {
  /** Fields of type `date`: a `Date` compared with them becomes a date literal (`2024-05-01`). */
  dateFields?: ReadonlySet<string>
}

/**
 * `SELECT … FROM entity [WHERE …] [ORDER BY …] [LIMIT n]` for a portable query. Every condition is
 * ANDed; `eq`/`ne` with `null` test for absence; `like` takes a SOQL pattern whose `%` and `_` are
 * wildcards, while `startsWith` and `contains` match their text literally (`\%`, `\_`).
 */
export function buildSoql(entity: string, query: Query, options: SoqlBuildOptions = {}): string {
  const fields = query.select === undefined || query.select.length === 0 ? ['Id'] : query.select
  let soql = `SELECT ${fields.map((field) => fieldPath(field, 'select')).join(', ')} FROM ${apiName(entity)}`
  const conditions = whereConditions(query.where).map((condition) => soqlCondition(condition, options))
  if (conditions.length > 0) soql += ` WHERE ${conditions.join(' AND ')}`
  if (query.orderBy !== undefined && query.orderBy.length > 0) {
    const order = query.orderBy.map(
      ({ field, direction }) => `${fieldPath(field, 'orderBy')} ${direction === 'desc' ? 'DESC' : 'ASC'}`,
    )
    soql += ` ORDER BY ${order.join(', ')}`
  }
  if (query.limit !== undefined) soql += ` LIMIT ${positiveInteger(query.limit, 'limit')}`
  return soql
}

/** `SELECT COUNT() FROM entity [WHERE …]`: the count comes back as the answer's `totalSize`. */
export function buildCountSoql(
  entity: string,
  query: Pick<Query, 'where'>,
  options: SoqlBuildOptions = {},
): string {
  const conditions = whereConditions(query.where).map((condition) => soqlCondition(condition, options))
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''
  return `SELECT COUNT() FROM ${apiName(entity)}${where}`
}

/** The literal of a value compared with a `date` field: `YYYY-MM-DD`, unquoted, in UTC. */
export function soqlDate(value: Date): string {
  if (Number.isNaN(value.getTime())) throw invalid('a date in a query is invalid')
  return value.toISOString().slice(0, 10)
}

/**
 * A string literal for LIKE that matches `value` literally: escaped as any string, then `%` and `_`
 * escaped as `\%` and `\_`, the two escapes SOQL allows only inside LIKE (sheet §3.4).
 */
export function soqlLikeLiteral(value: string, prefix = '', suffix = ''): string {
  const quoted = soqlLiteral(value)
  return `'${prefix}${quoted.slice(1, -1).replace(/[%_]/g, (char) => `\\${char}`)}${suffix}'`
}

/**
 * A raw SOQL statement with its `:name` parameters replaced by escaped literals (Apex bind syntax).
 * Text inside string literals is left alone; a parameter missing from `params`, or given but never
 * used, is an error, so a typo cannot silently drop a condition.
 */
export function bindSoql(raw: RawQuery): string {
  return bindParams(raw, { system: 'salesforce', literal: soqlLiteral, quoteEscape: 'backslash' })
}

/** Validates an sObject API name before it goes into a path or a FROM clause. */
export function apiName(entity: string): string {
  if (!API_NAME.test(entity))
    throw invalid('entity must be an sObject API name (letters, digits, underscores)')
  return entity
}

function fieldPath(field: string, where: string): string {
  if (!FIELD_PATH.test(field)) throw invalid(`${where}: "${field}" is not a field API name`)
  return field
}

const OPERATORS: Readonly<Record<string, string>> = {
  eq: '=',
  ne: '!=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
}

function soqlCondition(condition: Condition, options: SoqlBuildOptions): string {
  const field = fieldPath(condition.field, 'where')
  const literal = (value: QueryLiteral): string =>
    value instanceof Date && options.dateFields?.has(condition.field) ? soqlDate(value) : soqlLiteral(value)
  switch (condition.operator) {
    case 'in':
    case 'notIn': {
      if (condition.value.length === 0)
        throw invalid(`where.${condition.field}: ${condition.operator} needs values`)
      const list = condition.value.map(literal).join(', ')
      return `${field} ${condition.operator === 'in' ? 'IN' : 'NOT IN'} (${list})`
    }
    case 'like':
      return `${field} LIKE ${likePattern(condition.value)}`
    case 'startsWith':
      return `${field} LIKE ${soqlLikeLiteral(likeText(condition), '', '%')}`
    case 'contains':
      return `${field} LIKE ${soqlLikeLiteral(likeText(condition), '%', '%')}`
    default: {
      const operator = OPERATORS[condition.operator]
      if (operator === undefined) throw unsupportedCondition('salesforce', condition)
      return `${field} ${operator} ${literal(condition.value)}`
    }
  }
}

// A caller's LIKE pattern keeps `%` and `_` as wildcards; everything else is escaped as in any string.
function likePattern(value: QueryLiteral): string {
  if (typeof value !== 'string') throw invalid('like needs a string pattern')
  return soqlLiteral(value)
}

function likeText(condition: Condition): string {
  if (typeof condition.value !== 'string')
    throw invalid(`where.${condition.field}: ${condition.operator} needs a string`)
  return condition.value
}

function soqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw invalid('numbers in a query must be finite')
  // SOQL has no exponent notation, which String() uses for very large and very small numbers.
  return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })
}

// Datetime literals are unquoted ISO-8601 in UTC. Fractional seconds are not in the documented formats
// (UNVERIFIED whether accepted), so they are written only when the value has them.
function soqlDateTime(value: Date): string {
  if (Number.isNaN(value.getTime())) throw invalid('a date in a query is invalid')
  return value.toISOString().replace('.000Z', 'Z')
}

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw invalid(`${name} must be a positive integer`)
  return value
}

function invalid(problem: string): ValidationError {
  return new ValidationError({ message: `salesforce: ${problem}`, system: 'salesforce' })
}
