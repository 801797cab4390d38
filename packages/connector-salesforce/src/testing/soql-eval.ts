import type { SoqlCondition, SoqlValue } from './soql-parser.js'

/** Reads a (possibly dotted) field of a record, as the query's WHERE and ORDER BY see it. */
export type FieldReader = (field: string) => unknown

/** Whether a record, seen through `read`, satisfies a parsed WHERE expression. */
export function satisfies(condition: SoqlCondition, read: FieldReader): boolean {
  switch (condition.kind) {
    case 'and':
      return condition.operands.every((operand) => satisfies(operand, read))
    case 'or':
      return condition.operands.some((operand) => satisfies(operand, read))
    case 'not':
      return !satisfies(condition.operand, read)
    case 'in': {
      const actual = read(condition.field)
      const found = condition.values.some((value) => compare(actual, value) === 0)
      return condition.negated ? !found : found
    }
    case 'compare': {
      const actual = read(condition.field)
      const { operator, value } = condition
      if (operator === 'LIKE') return typeof value === 'string' && like(actual, value)
      // `= null` / `!= null` test for absence; any other comparison with null is false.
      if (value === null || actual === null || actual === undefined) {
        const bothNull = value === null && (actual === null || actual === undefined)
        if (operator === '=') return bothNull
        if (operator === '!=') return !bothNull
        return false
      }
      const order = compare(actual, value)
      if (Number.isNaN(order)) return operator === '!='
      switch (operator) {
        case '=':
          return order === 0
        case '!=':
          return order !== 0
        case '<':
          return order < 0
        case '>':
          return order > 0
        case '<=':
          return order <= 0
        case '>=':
          return order >= 0
      }
    }
  }
}

/**
 * Orders a stored value against a literal: numbers numerically, dates and datetimes by time, strings
 * case-insensitively (SOQL's default collation is case-insensitive). NaN when they are not comparable.
 */
export function compare(actual: unknown, value: SoqlValue): number {
  if (value === null) return actual === null || actual === undefined ? 0 : Number.NaN
  if (typeof value === 'object') {
    if (typeof actual !== 'string') return Number.NaN
    if ('date' in value) return sign(actual.slice(0, 10).localeCompare(value.date))
    return sign(parseDateTime(actual) - value.dateTime)
  }
  if (typeof value === 'number') return typeof actual === 'number' ? sign(actual - value) : Number.NaN
  if (typeof value === 'boolean') return actual === value ? 0 : Number.NaN
  if (typeof actual !== 'string') return Number.NaN
  const a = actual.toLowerCase()
  const b = value.toLowerCase()
  return a === b ? 0 : a < b ? -1 : 1
}

/** Orders two stored values for ORDER BY; nulls are placed by the caller. */
export function compareStored(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return sign(a - b)
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  const left = String(a).toLowerCase()
  const right = String(b).toLowerCase()
  return left === right ? 0 : left < right ? -1 : 1
}

/** Epoch ms of a Salesforce datetime (`2024-05-07T22:07:19.000+0000`) or an ISO one. */
export function parseDateTime(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
}

// `%` any run, `_` one character, `\%` and `\_` literal; case-insensitive like the rest of SOQL.
function like(actual: unknown, pattern: string): boolean {
  if (typeof actual !== 'string') return false
  let source = ''
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern.charAt(index)
    if (char === '\\' && (pattern.charAt(index + 1) === '%' || pattern.charAt(index + 1) === '_')) {
      source += `\\${pattern.charAt(++index)}`
    } else if (char === '%') source += '[\\s\\S]*'
    else if (char === '_') source += '[\\s\\S]'
    else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  return new RegExp(`^${source}$`, 'i').test(actual)
}

function sign(value: number): number {
  return value === 0 ? 0 : value < 0 ? -1 : 1
}
