import type { EncodedOperator } from '../query/encoded-query.js'

/** The operators the simulator evaluates: the builder's, and a few more a raw query may use. */
export type EncodedQueryOperator = EncodedOperator | 'BETWEEN' | 'ANYTHING' | 'EMPTYSTRING'

/** One condition of an encoded query. */
export interface EncodedCondition {
  field: string
  operator: EncodedQueryOperator
  value: string
}

/** A parsed `sysparm_query`: groups joined by `^NQ` (OR), each an AND of terms, each an OR of conditions. */
export interface ParsedEncodedQuery {
  groups: EncodedCondition[][][]
  orderBy: Array<{ field: string; descending: boolean }>
}

/** Encoded-query syntax the simulator does not implement (`RLQUERY`, `javascript:`…): it answers 400, so a test sees it. */
export class EncodedQueryNotSupported extends Error {
  override readonly name = 'EncodedQueryNotSupported'
}

// Longest operators first, so `NOT LIKE` is not read as `NOT` + ` LIKE` and `ISNOTEMPTY` not as `IS…`.
const OPERATORS = [
  'ISNOTEMPTY',
  'ISEMPTY',
  'EMPTYSTRING',
  'ANYTHING',
  'NOT LIKE',
  'NOTLIKE',
  'NOT IN',
  'STARTSWITH',
  'ENDSWITH',
  'BETWEEN',
  'LIKE',
  'IN',
  '!=',
  '>=',
  '<=',
  '=',
  '>',
  '<',
]
const CONDITION = new RegExp(`^([a-z0-9_.]+?)(${OPERATORS.join('|')})(.*)$`, 's')
const NO_VALUE = new Set(['ISEMPTY', 'ISNOTEMPTY', 'ANYTHING', 'EMPTYSTRING'])

/**
 * Parses an encoded query as the instance does, splitting on every `^` (a value cannot hide one: that
 * is the injection the connector prevents): `^OR` joins a condition to the one before it, `^NQ` starts
 * a new OR-ed group, `ORDERBY<f>` / `ORDERBYDESC<f>` add sort keys, `^EQ` is ignored. Written
 * independently of the connector's builder so the two check each other.
 */
export function parseEncodedQuery(text: string): ParsedEncodedQuery {
  const parsed: ParsedEncodedQuery = { groups: [[]], orderBy: [] }
  for (const part of text.split('^')) {
    if (part === '' || part === 'EQ') continue
    if (part.startsWith('ORDERBYDESC')) {
      parsed.orderBy.push({ field: part.slice('ORDERBYDESC'.length), descending: true })
    } else if (part.startsWith('ORDERBY')) {
      parsed.orderBy.push({ field: part.slice('ORDERBY'.length), descending: false })
    } else if (part.startsWith('NQ')) {
      parsed.groups.push([[condition(part.slice(2))]])
    } else if (part.startsWith('OR')) {
      const terms = parsed.groups.at(-1) ?? []
      const previous = terms.at(-1)
      if (previous === undefined) throw new EncodedQueryNotSupported('^OR with no condition before it')
      previous.push(condition(part.slice(2)))
    } else {
      parsed.groups.at(-1)?.push([condition(part)])
    }
  }
  parsed.groups = parsed.groups.filter((group) => group.length > 0)
  return parsed
}

/** Every condition of a parsed query, in order (for checks that do not care about the grouping). */
export function conditionsOf(query: ParsedEncodedQuery): EncodedCondition[] {
  return query.groups.flat(2)
}

function condition(part: string): EncodedCondition {
  const match = CONDITION.exec(part)
  if (match === null) throw new EncodedQueryNotSupported(`the simulator cannot read "${part}"`)
  const [, field = '', written = '=', value = ''] = match
  const operator = (written === 'NOTLIKE' ? 'NOT LIKE' : written) as EncodedQueryOperator
  if (NO_VALUE.has(operator) && value !== '') {
    throw new EncodedQueryNotSupported(`the simulator cannot read "${part}"`)
  }
  if (/^\s*javascript:/i.test(value)) {
    throw new EncodedQueryNotSupported('the simulator does not evaluate javascript: values')
  }
  return { field, operator, value }
}
