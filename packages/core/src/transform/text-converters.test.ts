import { describe, expect, it } from 'vitest'
import { boolean, email, guid, lowercase, text, trim } from './text-converters.js'
import type { TransformResult } from './transformer.js'

const code = <T>(result: TransformResult<T>) => (result.ok ? 'ok' : result.issues[0]?.code)

describe('text converters', () => {
  it('turns numbers and booleans into text but refuses objects', () => {
    expect(text.transform(42)).toEqual({ ok: true, value: '42' })
    expect(text.transform(false)).toEqual({ ok: true, value: 'false' })
    expect(code(text.transform({}))).toBe('invalid_type')
    expect(code(text.transform(Number.NaN))).toBe('invalid_type')
  })

  it('trims and lower-cases', () => {
    expect(trim.transform('  N1 9GU\t')).toEqual({ ok: true, value: 'N1 9GU' })
    expect(lowercase.transform(' ACME ')).toEqual({ ok: true, value: 'acme' })
  })

  it('normalizes an e-mail address and refuses one without a domain', () => {
    expect(email.transform(' Jane.Doe@Example.COM ')).toEqual({ ok: true, value: 'jane.doe@example.com' })
    expect(code(email.transform('jane@localhost'))).toBe('invalid_format')
    expect(code(email.transform('a@b@c.de'))).toBe('invalid_format')
  })

  it('reads booleans and their text', () => {
    expect(boolean.transform('TRUE')).toEqual({ ok: true, value: true })
    expect(code(boolean.transform('1'))).toBe('invalid_format')
  })

  it('normalizes GUIDs with or without dashes, braces or the OData literal', () => {
    const expected = { ok: true, value: 'aaaabbbb-cccc-dddd-eeee-ffff00001111' }
    expect(guid.transform('AAAABBBB-CCCC-DDDD-EEEE-FFFF00001111')).toEqual(expected)
    expect(guid.transform('aaaabbbbccccddddeeeeffff00001111')).toEqual(expected)
    expect(guid.transform("guid'aaaabbbb-cccc-dddd-eeee-ffff00001111'")).toEqual(expected)
    expect(guid.transform('{aaaabbbb-cccc-dddd-eeee-ffff00001111}')).toEqual(expected)
  })

  it('refuses a GUID of the wrong length or with non-hex characters', () => {
    expect(code(guid.transform('aaaabbbb-cccc-dddd-eeee-ffff0000111'))).toBe('invalid_format')
    expect(code(guid.transform('zaaabbbb-cccc-dddd-eeee-ffff00001111'))).toBe('invalid_format')
    expect(code(guid.transform('aaaabbbb-ccccdddd-eeee-ffff00001111'))).toBe('invalid_format')
    expect(code(guid.transform('{aaaabbbb-cccc-dddd-eeee-ffff00001111'))).toBe('invalid_format')
  })
})
