import { type Converter, converter, unchanged } from './converter.js'
import { invalid, type TransformResult, valid } from './transformer.js'

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'
const ID_15 = /^[a-zA-Z0-9]{15}$/
const ID_18 = /^[a-zA-Z0-9]{15}[A-Z0-5]{3}$/i

/**
 * The three check characters of a 15-character id: for each block of five characters, a 5-bit number with
 * bit i set when character i is an upper-case letter, read from `A–Z0–5`.
 */
export function salesforceIdSuffix(id15: string): string {
  let suffix = ''
  for (let block = 0; block < 3; block++) {
    let bits = 0
    for (let i = 0; i < 5; i++) {
      const char = id15.charAt(block * 5 + i)
      if (char >= 'A' && char <= 'Z') bits |= 1 << i
    }
    suffix += SUFFIX_ALPHABET.charAt(bits)
  }
  return suffix
}

/**
 * Normalizes a Salesforce id to its 18-character form. A 15-character id gets its suffix. An 18-character
 * id is case-insensitive by design, so its suffix restores the case of the first 15 (an id lower-cased by
 * a case-insensitive store comes back intact); a suffix that marks a digit as upper-case is `invalid_checksum`.
 */
export function parseSalesforceId(value: unknown): TransformResult<string> {
  if (typeof value !== 'string') return invalid('invalid_type', 'expected a Salesforce id as text')
  const id = value.trim()
  if (ID_15.test(id)) return valid(id + salesforceIdSuffix(id))
  if (!ID_18.test(id)) return invalid('invalid_format', 'expected a 15- or 18-character Salesforce id')
  const suffix = id.slice(15).toUpperCase()
  let restored = ''
  for (let block = 0; block < 3; block++) {
    const bits = SUFFIX_ALPHABET.indexOf(suffix.charAt(block))
    for (let i = 0; i < 5; i++) {
      const char = id.charAt(block * 5 + i)
      const upper = (bits & (1 << i)) !== 0
      if (upper && !/[a-zA-Z]/.test(char))
        return invalid('invalid_checksum', 'the id suffix does not match its characters')
      restored += upper ? char.toUpperCase() : char.toLowerCase()
    }
  }
  return valid(restored + suffix)
}

/** The 18-character form of a 15- or 18-character id, or `undefined` when it is not a Salesforce id. */
export function toSalesforceId18(id: string): string | undefined {
  const result = parseSalesforceId(id)
  return result.ok ? result.value : undefined
}

/**
 * Whether two ids name the same record: 15 vs 18 characters, and an 18-character id in any case. Two
 * 15-character ids compare case-sensitively (`001…a` and `001…A` are different records).
 */
export function salesforceIdsEqual(a: string, b: string): boolean {
  const left = toSalesforceId18(a)
  return left !== undefined && left === toSalesforceId18(b)
}

/** Any Salesforce id → its 18-character form (what the API returns); write-back sends it unchanged. */
export const salesforceId: Converter<string> = converter('salesforceId', parseSalesforceId, unchanged)
