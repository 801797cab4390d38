import { type Converter, converter, unchanged } from './converter.js'
import { invalid, type TransformResult, valid } from './transformer.js'

/** How picklist values are matched. */
export interface PicklistOptions {
  /** Match regardless of case and return the allowed spelling (default: exact match). */
  ignoreCase?: boolean
}

/**
 * A picklist value (trimmed text), checked against `allowed` when given: a value outside it is
 * `not_allowed`. Without `allowed` any non-empty text passes (the org's values are not always known).
 */
export function picklist<const T extends string>(
  allowed?: readonly T[],
  options: PicklistOptions = {},
): Converter<T> {
  const match = matcher(allowed, options)
  return converter('picklist', (value) => pickOne(value, match), unchanged)
}

/** A multi-select picklist `"A;B"` → `['A', 'B']`, each checked like `picklist`; write-back joins with `;`. */
export function multiPicklist<const T extends string>(
  allowed?: readonly T[],
  options: PicklistOptions = {},
): Converter<T[]> {
  const match = matcher(allowed, options)
  return converter(
    'multiPicklist',
    (value): TransformResult<T[]> => {
      if (typeof value !== 'string') return invalid('invalid_type', 'expected "A;B" text')
      const picked: T[] = []
      for (const part of value.split(';')) {
        if (part.trim() === '') continue
        const one = pickOne(part, match)
        if (!one.ok) return one
        picked.push(one.value)
      }
      return valid(picked)
    },
    (value) =>
      Array.isArray(value) && value.every((part) => typeof part === 'string')
        ? valid(value.join(';'))
        : invalid('invalid_type', 'expected a list of picklist values'),
  )
}

function pickOne<T extends string>(
  value: unknown,
  match: (text: string) => T | undefined,
): TransformResult<T> {
  if (typeof value !== 'string') return invalid('invalid_type', 'expected a picklist value as text')
  const picked = match(value.trim())
  return picked === undefined
    ? invalid('not_allowed', 'expected one of the allowed picklist values')
    : valid(picked)
}

function matcher<T extends string>(
  allowed: readonly T[] | undefined,
  options: PicklistOptions,
): (text: string) => T | undefined {
  if (!allowed) return (text) => (text === '' ? undefined : (text as T))
  const byKey = new Map(allowed.map((value) => [options.ignoreCase ? value.toLowerCase() : value, value]))
  return (text) => byKey.get(options.ignoreCase ? text.toLowerCase() : text)
}
