import { z } from 'zod'
import { type Converter, converter, unchanged } from './converter.js'
import { invalid, type TransformResult, valid } from './transformer.js'

/** A decimal kept exactly as text: optional `-`, no superfluous leading zeros, scale (trailing zeros) kept. */
export const decimalStringSchema = z.string().regex(/^-?(0|[1-9]\d*)(\.\d+)?$/, 'expected a decimal string')

/** An exact decimal as text, e.g. `"1250.500"`; never a float. */
export type DecimalString = z.infer<typeof decimalStringSchema>

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/
const INTEGER_TEXT = /^([+-]?)(\d+)$/
/** Digits beyond this are refused: Edm.Decimal allows 34, and a "1e999999" must not build a huge string. */
const MAX_DIGITS = 400
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/**
 * Parses a decimal exactly, by moving digits in text: `"264.5"`, `"007.50"` → `"7.50"`, `"1E+21"` and the
 * number `1e21` → `"1000000000000000000000"`. A JSON number is read through its shortest round-trip text,
 * so `0.1` stays `"0.1"`. `NaN`, `Infinity`, hex and anything else are `invalid_format`.
 */
export function parseDecimal(value: unknown): TransformResult<DecimalString> {
  const text = decimalText(value)
  if (text === undefined) return invalid('invalid_type', 'expected a decimal as text or a number')
  const match = DECIMAL_TEXT.exec(text.trim())
  if (!match) return invalid('invalid_format', 'expected a decimal like "264.5"')
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match
  if (whole === '' && fraction === '') return invalid('invalid_format', 'expected a decimal with digits')
  const shift = Number(exponent)
  if (Math.abs(shift) > MAX_DIGITS || whole.length + fraction.length > MAX_DIGITS) {
    return invalid('out_of_range', `expected at most ${MAX_DIGITS} digits`)
  }
  const digits = whole + fraction
  const point = whole.length + shift
  const padded = point < 0 ? '0'.repeat(-point) + digits : digits.padEnd(point, '0')
  const at = Math.max(point, 0)
  const integerPart = padded.slice(0, at).replace(/^0+/, '') || '0'
  const fractionPart = padded.slice(at)
  const body = fractionPart === '' ? integerPart : `${integerPart}.${fractionPart}`
  const isZero = !/[1-9]/.test(body)
  return valid(sign === '-' && !isZero ? `-${body}` : body)
}

/** Parses an Edm.Int64 (text, bigint or a safe integer) to exact integer text within the signed 64-bit range. */
export function parseInt64(value: unknown): TransformResult<DecimalString> {
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return invalid(
      'precision_loss',
      'an Int64 above 2^53 arrived as a JSON number and may already be rounded',
    )
  }
  const text = decimalText(value)
  if (text === undefined) return invalid('invalid_type', 'expected an integer as text or a number')
  const match = INTEGER_TEXT.exec(text.trim())
  if (!match) return invalid('invalid_format', 'expected an integer like "345"')
  const [, sign = '', digits = ''] = match
  if (digits.length > 25) return invalid('out_of_range', 'expected a signed 64-bit integer')
  const parsed = BigInt(`${sign}${digits}`)
  if (parsed < INT64_MIN || parsed > INT64_MAX)
    return invalid('out_of_range', 'expected a signed 64-bit integer')
  return valid(parsed.toString())
}

/** Parses an integer that fits a JS number exactly (text like ServiceNow's `"3"`, or a number). */
export function parseInteger(value: unknown): TransformResult<number> {
  const exact = parseInt64(value)
  if (!exact.ok) return exact
  const parsed = Number(exact.value)
  if (!Number.isSafeInteger(parsed)) return invalid('out_of_range', 'expected an integer within ±2^53')
  return valid(parsed)
}

function decimalText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'not a finite number'
  return undefined
}

/** Edm.Decimal, Salesforce currency, ServiceNow numbers → exact decimal text. */
export const decimal: Converter<DecimalString> = converter('decimal', parseDecimal, unchanged)

/** Edm.Int64 → exact integer text (a bigint would not survive JSON). */
export const int64: Converter<DecimalString> = converter('int64', parseInt64, unchanged)

/** Integer text or number → a safe JS integer, e.g. ServiceNow `priority: "3"` → `3`. */
export const integer: Converter<number> = converter('integer', parseInteger, unchanged)
