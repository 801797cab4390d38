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

/** `SELECT … FROM entity [WHERE a = x AND …] [ORDER BY …] [LIMIT n]` for a portable query. */
export function buildSoql(entity: string, query: Query): string {
  const fields = query.select === undefined || query.select.length === 0 ? ['Id'] : query.select
  let soql = `SELECT ${fields.map((field) => fieldPath(field, 'select')).join(', ')} FROM ${apiName(entity)}`
  const conditions = whereConditions(query.where).map(
    (condition) => `${fieldPath(condition.field, 'where')} = ${soqlLiteral(equalityValue(condition))}`,
  )
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

// This first version translates equality only; other operators arrive with the full query builder.
function equalityValue(condition: Condition): QueryLiteral {
  if (condition.operator !== 'eq') throw unsupportedCondition('salesforce', condition)
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
