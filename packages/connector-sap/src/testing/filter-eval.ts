import type { FilterNode, ODataLiteral } from './filter-parser.js'
import type { SimEntitySet, SimProperty } from './service-catalog.js'
import { ODataFault } from './sim-fault.js'
import type { SimRecord } from './sim-values.js'

/** The property called `name`, or the 400 Gateway gives for an unknown one. */
export function propertyOf(set: SimEntitySet, name: string): SimProperty {
  const property = set.properties.find((candidate) => candidate.name === name)
  if (property === undefined)
    throw new ODataFault(
      400,
      '/IWCOR/CX_OD_PARSE_ERROR',
      `Property '${name}' not found in type '${set.typeName}'`,
    )
  return property
}

/** A key or filter literal as the kept value it compares with. */
export function literalValue(literal: ODataLiteral): unknown {
  switch (literal.kind) {
    case 'null':
      return null
    case 'number':
      return literal.text
    default:
      return literal.value
  }
}

/** Evaluates a `$filter` tree against one record. */
export function evaluate(node: FilterNode, record: SimRecord, set: SimEntitySet): unknown {
  switch (node.kind) {
    case 'and':
      return truthy(evaluate(node.left, record, set)) && truthy(evaluate(node.right, record, set))
    case 'or':
      return truthy(evaluate(node.left, record, set)) || truthy(evaluate(node.right, record, set))
    case 'not':
      return !truthy(evaluate(node.operand, record, set))
    case 'literal':
      return node.literal.kind === 'number' ? node.literal.value : literalValue(node.literal)
    case 'property': {
      if (node.path.includes('/'))
        throw new ODataFault(
          400,
          '/IWCOR/CX_OD_PARSE_ERROR',
          'Navigation paths in $filter are not supported by the simulator',
        )
      propertyOf(set, node.path)
      return record[node.path] ?? null
    }
    case 'compare': {
      const order = compare(evaluate(node.left, record, set), evaluate(node.right, record, set))
      switch (node.operator) {
        case 'eq':
          return order === 0
        case 'ne':
          return order !== 0
        case 'gt':
          return order > 0 && order !== UNORDERED
        case 'ge':
          return order >= 0 && order !== UNORDERED
        case 'lt':
          return order < 0 && order !== -UNORDERED
        case 'le':
          return order <= 0 && order !== -UNORDERED
      }
      return false
    }
    case 'call': {
      const args = node.args.map((arg) => evaluate(arg, record, set))
      const text = (value: unknown) => (value === null || value === undefined ? '' : String(value))
      switch (node.name) {
        case 'substringof':
          return text(args[1]).includes(text(args[0]))
        case 'contains':
          return text(args[0]).includes(text(args[1]))
        case 'startswith':
          return text(args[0]).startsWith(text(args[1]))
        case 'endswith':
          return text(args[0]).endsWith(text(args[1]))
        case 'tolower':
          return text(args[0]).toLowerCase()
        case 'toupper':
          return text(args[0]).toUpperCase()
        case 'trim':
          return text(args[0]).trim()
        case 'length':
          return text(args[0]).length
      }
      return false
    }
  }
}

const UNORDERED = 2

// Values compare by kind: numbers and numeric text numerically, guids case-blind, text by code point;
// null equals only null and orders before everything else.
/** Orders two kept values for `$filter` and `$orderby`. */
export function compare(a: unknown, b: unknown): number {
  if (a === b) return 0
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -UNORDERED
  if (b === null || b === undefined) return UNORDERED
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b ? 0 : UNORDERED
  const numeric = (value: unknown) =>
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)
        ? Number(value)
        : undefined
  const x = numeric(a)
  const y = numeric(b)
  if (x !== undefined && y !== undefined && (typeof a === 'number' || typeof b === 'number'))
    return x === y ? 0 : x < y ? -1 : 1
  const s =
    String(a).toLowerCase() === String(b).toLowerCase() && /^[0-9a-f-]{36}$/i.test(String(a)) ? 0 : undefined
  if (s === 0) return 0
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0
}

/** Whether a `$filter` result selects the record. */
export function truthy(value: unknown): boolean {
  return value === true
}
