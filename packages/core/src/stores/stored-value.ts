import { ValidationError } from '../errors/error-kinds.js'

/** Plain JSON: what a store keeps, whatever its driver. */
export type StoredJson = null | boolean | number | string | StoredJson[] | { [key: string]: StoredJson }

const DATE_TAG = '$date'
const ESCAPE_TAG = '$escape'

const isPlainObject = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

const describeType = (value: unknown): string => {
  if (typeof value !== 'object' || value === null) return typeof value
  return value.constructor?.name ?? 'object'
}

const soleKey = (value: object): string | undefined => {
  const keys = Object.keys(value)
  return keys.length === 1 ? keys[0] : undefined
}

/**
 * Copies `value` into plain JSON, tagging each `Date` as `{"$date": iso}`. A user object whose only key
 * is `$date` or `$escape` is wrapped as `{"$escape": {...}}`, so no user value is ever read back as a tag.
 * Anything JSON could not carry exactly throws a `ValidationError` naming the key and the path.
 */
export function toStoredJson(value: unknown, key: string): StoredJson {
  const ancestors = new Set<object>()

  const reject = (path: string, problem: string): never => {
    throw new ValidationError({
      message: `store value for key "${key}" at ${path || '(root)'}: ${problem}`,
      details: [{ path: path || '(root)', problem }],
    })
  }

  const copy = (item: unknown, path: string): StoredJson => {
    switch (typeof item) {
      case 'string':
      case 'boolean':
        return item
      case 'number':
        if (!Number.isFinite(item)) return reject(path, `${item} is not a finite number`)
        return item === 0 ? 0 : item
      case 'object':
        break
      default:
        return reject(path, `unsupported type ${typeof item}`)
    }
    if (item === null) return null
    if (item instanceof Date) {
      if (Number.isNaN(item.getTime())) return reject(path, 'invalid Date')
      return { [DATE_TAG]: item.toISOString() }
    }
    if (ancestors.has(item)) return reject(path, 'circular reference')
    ancestors.add(item)
    try {
      if (Array.isArray(item)) {
        return Array.from({ length: item.length }, (_, index) => {
          const element: unknown = item[index]
          if (element === undefined) return reject(`${path}[${index}]`, 'undefined array element')
          return copy(element, `${path}[${index}]`)
        })
      }
      if (!isPlainObject(item)) return reject(path, `unsupported type ${describeType(item)}`)
      const entries = Object.entries(item)
        .filter(([, property]) => property !== undefined)
        .map(([name, property]): [string, StoredJson] => [
          name,
          copy(property, path ? `${path}.${name}` : name),
        ])
      const object = Object.fromEntries(entries)
      const only = soleKey(object)
      return only === DATE_TAG || only === ESCAPE_TAG ? { [ESCAPE_TAG]: object } : object
    } finally {
      ancestors.delete(item)
    }
  }

  return copy(value, '')
}

const restoreProperties = (object: { [key: string]: StoredJson }): Record<string, unknown> =>
  Object.fromEntries(Object.entries(object).map(([name, property]) => [name, fromStoredJson(property)]))

/** Copies stored JSON back into a value, turning `$date` tags into `Date`s and unwrapping `$escape`. */
export function fromStoredJson(json: StoredJson): unknown {
  if (typeof json !== 'object' || json === null) return json
  if (Array.isArray(json)) return json.map(fromStoredJson)
  const only = soleKey(json)
  const tagged = only === undefined ? undefined : json[only]
  if (only === DATE_TAG && typeof tagged === 'string') return new Date(tagged)
  if (only === ESCAPE_TAG && typeof tagged === 'object' && tagged !== null && !Array.isArray(tagged)) {
    return restoreProperties(tagged)
  }
  return restoreProperties(json)
}

/** Serializes a value for a store that keeps text (e.g. Redis). */
export function encodeStoredValue(value: unknown, key: string): string {
  return JSON.stringify(toStoredJson(value, key))
}

/** Reads back text written by `encodeStoredValue`; text that is not JSON is a `ValidationError`. */
export function decodeStoredValue(text: string, key: string): unknown {
  let json: StoredJson
  try {
    json = JSON.parse(text) as StoredJson
  } catch (error) {
    throw new ValidationError({ message: `store value for key "${key}" is not JSON`, cause: error })
  }
  return fromStoredJson(json)
}
