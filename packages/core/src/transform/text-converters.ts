import { type Converter, converter, unchanged } from './converter.js'
import { readBoolean } from './servicenow-formats.js'
import { invalid, valid } from './transformer.js'

/** Text, numbers and booleans → text (numbers through their shortest exact form); objects are refused. */
export const text: Converter<string> = converter(
  'text',
  (value) => {
    if (typeof value === 'string') return valid(value)
    if (typeof value === 'number' && Number.isFinite(value)) return valid(String(value))
    if (typeof value === 'boolean' || typeof value === 'bigint') return valid(String(value))
    return invalid('invalid_type', 'expected text')
  },
  unchanged,
)

/** Text with surrounding whitespace removed (Unicode spaces included). */
export const trim: Converter<string> = converter(
  'trim',
  (value) => {
    const result = text.transform(value)
    return result.ok ? valid(result.value.trim()) : result
  },
  unchanged,
)

/** Trimmed, lower-cased text. */
export const lowercase: Converter<string> = converter(
  'lowercase',
  (value) => {
    const result = trim.transform(value)
    return result.ok ? valid(result.value.toLowerCase()) : result
  },
  unchanged,
)

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** An e-mail address, trimmed and lower-cased; only the shape is checked (one `@`, a dot in the domain). */
export const email: Converter<string> = converter(
  'email',
  (value) => {
    const result = lowercase.transform(value)
    if (!result.ok) return result
    return EMAIL.test(result.value)
      ? valid(result.value)
      : invalid('invalid_format', 'expected an e-mail address')
  },
  unchanged,
)

/** Booleans and `"true"` / `"false"` → boolean (write-back keeps the boolean). */
export const boolean: Converter<boolean> = converter('boolean', readBoolean, unchanged)

const GUID_DASHED = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i
const GUID_PLAIN = /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i

/** A GUID (Edm.Guid, with or without dashes, in braces, or an OData `guid'…'` literal) → lower-case dashed form. */
export const guid: Converter<string> = converter(
  'guid',
  (value) => {
    if (typeof value !== 'string') return invalid('invalid_type', 'expected a GUID as text')
    const trimmed = value.trim()
    const bare = /^guid'(.*)'$/.exec(trimmed)?.[1] ?? /^\{(.*)\}$/.exec(trimmed)?.[1] ?? trimmed
    const match = GUID_DASHED.exec(bare) ?? GUID_PLAIN.exec(bare)
    if (!match)
      return invalid('invalid_format', 'expected a GUID like "aaaabbbb-cccc-dddd-eeee-ffff00001111"')
    return valid(match.slice(1).join('-').toLowerCase())
  },
  unchanged,
)
