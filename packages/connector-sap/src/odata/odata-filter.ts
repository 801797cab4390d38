import {
  bindParams,
  type Condition,
  type FieldCondition,
  type QueryLiteral,
  type RawQuery,
  unsupportedCondition,
  whereConditions,
} from '@junction/core'
import type { EntitySetInfo, ODataVersion } from '../metadata/service-metadata.js'
import { invalid, odataLiteral, propertyPath } from './odata-literal.js'

/** How the builder writes what the sheet leaves open. */
export interface FilterOptions {
  /**
   * Write `substringof(…) eq true` rather than `substringof(…)` (and the same for `startswith` and
   * `endswith`): whether SAP needs the `eq true` is UNVERIFIED (sheet §1.7); the bare form is the default.
   */
  booleanFunctionsEqTrue?: boolean
}

const COMPARISON: Readonly<Record<string, string>> = {
  eq: 'eq',
  ne: 'ne',
  gt: 'gt',
  gte: 'ge',
  lt: 'lt',
  lte: 'le',
}

/**
 * `$filter` for a portable `where`, conditions ANDed; undefined when there are none. Comparisons map
 * to `eq ne gt ge lt le`; `in`/`notIn` become `or`/`and` chains (V2 has no `in`, and V4 has it only
 * from 4.01); `contains` is `substringof('x',F)` in V2 and `contains(F,'x')` in V4; `startsWith` is
 * `startswith`; `like` is translated when it is a prefix, suffix or infix pattern (`x%`, `%x`, `%x%`).
 * Literals are typed from `$metadata` when the entity set is known.
 */
export function buildFilter(
  where: Readonly<Record<string, FieldCondition>> | undefined,
  version: ODataVersion,
  set?: EntitySetInfo,
  options: FilterOptions = {},
): string | undefined {
  const parts = whereConditions(where).map((condition) => {
    const text = conditionText(condition, version, set)
    return options.booleanFunctionsEqTrue === true && isFunction(condition) ? `${text} eq true` : text
  })
  return parts.length === 0 ? undefined : parts.join(' and ')
}

/**
 * A raw `$filter` (the explicit escape hatch) with its `:name` parameters replaced by literals. Text
 * inside quoted literals is left alone; a parameter missing from `params`, or never used, is an error.
 */
export function bindFilter(raw: RawQuery, version: ODataVersion): string {
  return bindParams(raw, {
    system: 'sap',
    literal: (value) => odataLiteral(value, { version }),
    quoteEscape: 'double',
  })
}

function conditionText(condition: Condition, version: ODataVersion, set: EntitySetInfo | undefined): string {
  const field = propertyPath(condition.field)
  const type = set?.properties.get(field)?.type
  const literal = (value: QueryLiteral) => odataLiteral(value, { version, type })
  switch (condition.operator) {
    case 'in':
    case 'notIn': {
      if (condition.value.length === 0) throw invalid(`where.${field}.${condition.operator} is empty`)
      const negate = condition.operator === 'notIn'
      const terms = condition.value.map((value) => `${field} ${negate ? 'ne' : 'eq'} ${literal(value)}`)
      return terms.length === 1 ? (terms[0] as string) : `(${terms.join(negate ? ' and ' : ' or ')})`
    }
    case 'contains':
      return textFunction('contains', field, condition.value, version)
    case 'startsWith':
      return textFunction('startswith', field, condition.value, version)
    case 'like':
      return likeText(condition, field, version)
    default: {
      const operator = COMPARISON[condition.operator]
      if (operator === undefined) throw unsupportedCondition('sap', condition)
      return `${field} ${operator} ${literal(condition.value)}`
    }
  }
}

function textFunction(
  name: 'contains' | 'startswith' | 'endswith',
  field: string,
  value: QueryLiteral,
  version: ODataVersion,
): string {
  if (typeof value !== 'string') throw invalid(`where.${field}.${name} needs text`)
  const needle = odataLiteral(value, { version })
  // V2 has no `contains`; its `substringof` takes the needle first (sheet §1.7).
  if (name === 'contains' && version === 'v2') return `substringof(${needle},${field})`
  return `${name}(${field},${needle})`
}

function likeText(condition: Condition, field: string, version: ODataVersion): string {
  const pattern = condition.value
  if (typeof pattern !== 'string') throw invalid(`where.${field}.like needs text`)
  const inner = /^(%?)([^%_]*)(%?)$/.exec(pattern)
  if (inner === null || (inner[1] === '' && inner[3] === '')) throw unsupportedCondition('sap', condition)
  const [, leading, text = '', trailing] = inner
  if (leading !== '' && trailing !== '') return textFunction('contains', field, text, version)
  return textFunction(leading === '' ? 'startswith' : 'endswith', field, text, version)
}

function isFunction(condition: Condition): boolean {
  return (
    condition.operator === 'contains' || condition.operator === 'startsWith' || condition.operator === 'like'
  )
}
