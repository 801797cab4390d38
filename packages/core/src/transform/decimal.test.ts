import { describe, expect, it } from 'vitest'
import { decimal, int64, integer, parseDecimal, parseInt64 } from './decimal.js'

const value = (result: ReturnType<typeof parseDecimal>) => (result.ok ? result.value : result.issues[0]?.code)

describe('decimal', () => {
  it('keeps an Edm.Decimal string exactly, scale included', () => {
    expect(value(parseDecimal('1250.500'))).toBe('1250.500')
    expect(value(parseDecimal('264.5'))).toBe('264.5')
  })

  it('keeps digits a float would lose', () => {
    expect(value(parseDecimal('12345678901234567890.123456789012345678'))).toBe(
      '12345678901234567890.123456789012345678',
    )
  })

  it('expands exponents in text exactly', () => {
    expect(value(parseDecimal('1E+21'))).toBe('1000000000000000000000')
    expect(value(parseDecimal('1.5e-7'))).toBe('0.00000015')
    expect(value(parseDecimal('-2.50e1'))).toBe('-25.0')
  })

  it('reads a JSON number through its shortest exact text', () => {
    expect(value(parseDecimal(1e21))).toBe('1000000000000000000000')
    expect(value(parseDecimal(0.1))).toBe('0.1')
    expect(value(parseDecimal(-0))).toBe('0')
  })

  it('strips leading zeros and a plus sign but keeps the sign of negatives', () => {
    expect(value(parseDecimal('007.50'))).toBe('7.50')
    expect(value(parseDecimal('+42'))).toBe('42')
    expect(value(parseDecimal('-0042.1'))).toBe('-42.1')
    expect(value(parseDecimal('.5'))).toBe('0.5')
  })

  it('turns negative zero into zero', () => {
    expect(value(parseDecimal('-0.00'))).toBe('0.00')
  })

  it('refuses NaN, Infinity, hex, spaces inside and empty digits', () => {
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      'NaN',
      'Infinity',
      '0x1F',
      '1 000',
      '.',
      '-',
      '1e',
      '--1',
    ]) {
      expect(value(parseDecimal(bad))).toBe('invalid_format')
    }
  })

  it('refuses exponents that would build huge text', () => {
    expect(value(parseDecimal('1e999'))).toBe('out_of_range')
  })

  it('refuses objects, booleans and null as invalid_type', () => {
    for (const bad of [{}, [], true, null, undefined]) expect(value(parseDecimal(bad))).toBe('invalid_type')
  })

  it('has an inverse that writes the decimal text back unchanged', () => {
    expect(decimal.inverse?.transform('1250.500')).toEqual({ ok: true, value: '1250.500' })
  })
})

describe('int64', () => {
  it('keeps a 64-bit integer exactly as text', () => {
    expect(value(parseInt64('9223372036854775807'))).toBe('9223372036854775807')
    expect(value(parseInt64('-9223372036854775808'))).toBe('-9223372036854775808')
    expect(value(parseInt64('000345'))).toBe('345')
  })

  it('refuses values beyond the signed 64-bit range', () => {
    expect(value(parseInt64('9223372036854775808'))).toBe('out_of_range')
    expect(value(parseInt64('1'.repeat(40)))).toBe('out_of_range')
  })

  it('refuses a JSON number above 2^53 because it may already be rounded', () => {
    expect(value(parseInt64(2 ** 53 + 2))).toBe('precision_loss')
  })

  it('refuses fractions and exponents', () => {
    expect(value(parseInt64('345.0'))).toBe('invalid_format')
    expect(value(parseInt64('1e3'))).toBe('invalid_format')
  })

  it('accepts bigints', () => {
    expect(int64.transform(12n)).toEqual({ ok: true, value: '12' })
  })
})

describe('integer', () => {
  it('turns ServiceNow number text into a number', () => {
    expect(integer.transform('3')).toEqual({ ok: true, value: 3 })
  })

  it('refuses integers a JS number cannot hold exactly', () => {
    const result = integer.transform('9007199254740993')
    expect(result.ok ? result.value : result.issues[0]?.code).toBe('out_of_range')
  })
})
