import { formatUtcDate, formatUtcDateTime, isValidDate, parseIsoDate, utcDate } from './calendar.js'
import { type Converter, converter, unchanged } from './converter.js'
import { isPlainRecord } from './record-path.js'
import { invalid, type TransformResult, valid } from './transformer.js'

const SN_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/

/** Parses ServiceNow's value format `YYYY-MM-DD HH:MM:SS` (always UTC); `undefined` if malformed. */
export function parseServiceNowDateTime(text: string): Date | undefined {
  const match = SN_DATE_TIME.exec(text)
  if (!match) return undefined
  const [, y, mo, d, h, mi, s] = match
  return utcDate(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s))
}

/** ServiceNow date-time value `"2024-03-05 14:02:11"` (UTC) → `Date`. Display values (user TZ) are refused. */
export const snDateTime: Converter<Date> = converter(
  'snDateTime',
  (value) => {
    if (isValidDate(value)) return valid(value)
    if (typeof value !== 'string') return invalid('invalid_type', 'expected "YYYY-MM-DD HH:MM:SS" text')
    const date = parseServiceNowDateTime(value.trim())
    return date ? valid(date) : invalid('invalid_format', 'expected a UTC date-time "YYYY-MM-DD HH:MM:SS"')
  },
  (value) =>
    isValidDate(value) ? valid(formatUtcDateTime(value)) : invalid('invalid_type', 'expected a Date'),
)

/** ServiceNow date value `"2024-03-05"` → `Date` at midnight UTC. */
export const snDate: Converter<Date> = converter(
  'snDate',
  (value) => {
    if (isValidDate(value)) return valid(value)
    if (typeof value !== 'string') return invalid('invalid_type', 'expected "YYYY-MM-DD" text')
    const date = parseIsoDate(value.trim())
    return date ? valid(date) : invalid('invalid_format', 'expected a date "YYYY-MM-DD"')
  },
  (value) => (isValidDate(value) ? valid(formatUtcDate(value)) : invalid('invalid_type', 'expected a Date')),
)

/** `"true"` / `"false"` (and real booleans) → boolean; write-back sends the strings ServiceNow uses. */
export const snBoolean: Converter<boolean> = converter('snBoolean', readBoolean, (value) =>
  typeof value === 'boolean' ? valid(String(value)) : invalid('invalid_type', 'expected a boolean'),
)

/** `true` / `false` or `"true"` / `"false"` (any case) → boolean; anything else is `invalid_format`. */
export function readBoolean(value: unknown): TransformResult<boolean> {
  if (typeof value === 'boolean') return valid(value)
  if (typeof value !== 'string') return invalid('invalid_type', 'expected a boolean or "true"/"false"')
  const text = value.trim().toLowerCase()
  if (text === 'true') return valid(true)
  if (text === 'false') return valid(false)
  return invalid('invalid_format', 'expected "true" or "false"')
}

/**
 * Unwraps every ServiceNow value shape to the stored value: a plain string, `{link, value}` (a reference),
 * `{value, display_value}` (`sysparm_display_value=all`). `{display_value: "…", link}` without `value` is
 * refused: that is a display value, not the stored one.
 */
export const snValue: Converter<string> = converter('snValue', (value) => unwrap(value, 'value'), unchanged)

/** The `display_value` of a ServiceNow field (`sysparm_display_value=all|true`), or the plain string. */
export const snDisplayValue: Converter<string> = converter('snDisplayValue', (value) =>
  unwrap(value, 'display_value'),
)

function unwrap(value: unknown, key: 'value' | 'display_value'): TransformResult<string> {
  if (typeof value === 'string') return valid(value)
  if (!isPlainRecord(value)) return invalid('invalid_type', `expected text or an object with "${key}"`)
  const inner = value[key]
  if (inner === null || inner === undefined) {
    // `{display_value: null, value: ""}` is ServiceNow's empty; a missing key is a different shape.
    return Object.hasOwn(value, key) ? valid('') : invalid('invalid_type', `expected an object with "${key}"`)
  }
  return typeof inner === 'string' ? valid(inner) : invalid('invalid_type', `expected "${key}" to be text`)
}

const SYS_ID = /^[0-9a-f]{32}$/

/** A ServiceNow `sys_id`: 32 hex characters, lowercased; a reference object is unwrapped first. */
export const sysId: Converter<string> = converter(
  'sysId',
  (value) => {
    const text = unwrap(value, 'value')
    if (!text.ok) return text
    const id = text.value.trim().toLowerCase()
    return SYS_ID.test(id) ? valid(id) : invalid('invalid_format', 'expected a sys_id of 32 hex characters')
  },
  unchanged,
)
