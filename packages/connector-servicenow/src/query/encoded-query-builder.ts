import { ValidationError } from '@junction/core'
import { type EncodedOperator, type EncodedValue, encodedCondition, fieldName } from './encoded-query.js'

/**
 * Builds an encoded query with `^` (AND), `^OR` (OR with the previous condition), `^NQ` (a new
 * OR-ed group) and `ORDERBY` / `ORDERBYDESC`. Every field and value goes through the same checks as
 * a portable `where`, so no value can add a clause. Immutable: each call returns a new builder.
 *
 * @example
 * encodedQuery().where('active', '=', true).or('priority', 'IN', [1, 2]).newQuery().where('state', '=', 6).text
 * // 'active=true^ORpriorityIN1,2^NQstate=6'
 */
export class EncodedQueryBuilder {
  readonly #groups: readonly (readonly string[])[]
  readonly #order: readonly string[]

  constructor(groups: readonly (readonly string[])[] = [[]], order: readonly string[] = []) {
    this.#groups = groups
    this.#order = order
  }

  /** ANDs a condition onto the current group. */
  where(field: string, operator: EncodedOperator, value?: EncodedValue): EncodedQueryBuilder {
    return this.#append(encodedCondition(field, operator, value))
  }

  /** Same as `where`. */
  and(field: string, operator: EncodedOperator, value?: EncodedValue): EncodedQueryBuilder {
    return this.where(field, operator, value)
  }

  /** ORs a condition with the one before it (`^OR` binds to the adjacent condition only). */
  or(field: string, operator: EncodedOperator, value?: EncodedValue): EncodedQueryBuilder {
    const current = this.#groups.at(-1) ?? []
    if (current.length === 0) throw invalid('or() needs a condition before it')
    return this.#append(`OR${encodedCondition(field, operator, value)}`)
  }

  /** Starts a new group (`^NQ`): the query matches rows that match any group. */
  newQuery(): EncodedQueryBuilder {
    if ((this.#groups.at(-1) ?? []).length === 0) throw invalid('newQuery() needs a condition before it')
    return new EncodedQueryBuilder([...this.#groups, []], this.#order)
  }

  /** Sorts by `field`, after any earlier sort keys. */
  orderBy(field: string, direction: 'asc' | 'desc' = 'asc'): EncodedQueryBuilder {
    const term = `${direction === 'desc' ? 'ORDERBYDESC' : 'ORDERBY'}${fieldName(field)}`
    return new EncodedQueryBuilder(this.#groups, [...this.#order, term])
  }

  /** The encoded query text, for `sysparm_query` or a connector query's `raw: { text }`. */
  get text(): string {
    const groups = this.#groups.filter((group) => group.length > 0).map((group) => group.join('^'))
    return [groups.join('^NQ'), ...this.#order].filter((part) => part !== '').join('^')
  }

  /** The same as `text`. */
  toString(): string {
    return this.text
  }

  #append(term: string): EncodedQueryBuilder {
    const groups = [...this.#groups]
    groups[groups.length - 1] = [...(groups.at(-1) ?? []), term]
    return new EncodedQueryBuilder(groups, this.#order)
  }
}

/** A new, empty encoded-query builder. */
export function encodedQuery(): EncodedQueryBuilder {
  return new EncodedQueryBuilder()
}

function invalid(problem: string): ValidationError {
  return new ValidationError({ message: `servicenow: ${problem}`, system: 'servicenow' })
}
