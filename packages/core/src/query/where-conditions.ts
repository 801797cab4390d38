import type { FieldCondition, QueryLiteral } from '../connector/connector.js'
import { JunctionError } from '../errors/junction-error.js'

/** The comparison operators a portable `where` can use. */
export type ConditionOperator =
  | 'eq'
  | 'ne'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'in'
  | 'notIn'
  | 'like'
  | 'startsWith'
  | 'contains'

/** One comparison from a portable `where`, ready for a dialect to render and escape. */
export type Condition =
  | { field: string; operator: 'in' | 'notIn'; value: readonly QueryLiteral[] }
  | { field: string; operator: Exclude<ConditionOperator, 'in' | 'notIn'>; value: QueryLiteral }

const isOperatorObject = (condition: FieldCondition): condition is Exclude<FieldCondition, QueryLiteral> =>
  condition !== null && typeof condition === 'object' && !(condition instanceof Date)

/**
 * Flattens a portable `where` into conditions, ANDed in order: a bare value is equality, and each
 * operator of an operator object is its own condition (`{ gt: 1, lt: 5 }` is two).
 */
export function whereConditions(where: Readonly<Record<string, FieldCondition>> | undefined): Condition[] {
  return Object.entries(where ?? {}).flatMap(([field, condition]): Condition[] => {
    if (!isOperatorObject(condition)) return [{ field, operator: 'eq', value: condition }]
    return Object.entries(condition)
      .filter(([, value]) => value !== undefined)
      .map(([operator, value]) => ({ field, operator, value }) as Condition)
  })
}

/** The error a dialect throws for an operator it cannot express. */
export function unsupportedCondition(system: string, condition: Condition): JunctionError {
  return new JunctionError({
    code: 'NOT_SUPPORTED',
    message: `${system} query: where.${condition.field} uses "${condition.operator}", which this connector cannot express`,
    system,
    operation: 'query',
  })
}
