import { describe, expect, it } from 'vitest'
import { snBoolean, snDate, snDateTime, snDisplayValue, snValue, sysId } from './servicenow-formats.js'
import type { TransformResult } from './transformer.js'

const code = <T>(result: TransformResult<T>) => (result.ok ? 'ok' : result.issues[0]?.code)

describe('snDateTime', () => {
  it('reads the value format as UTC', () => {
    const result = snDateTime.transform('2024-03-05 14:02:11')
    expect(result.ok && result.value.toISOString()).toBe('2024-03-05T14:02:11.000Z')
  })

  it('reads durations, which are date-times relative to the epoch', () => {
    const result = snDateTime.transform('1970-01-01 00:02:17')
    expect(result.ok && result.value.getTime()).toBe(137_000)
  })

  it('refuses impossible dates and other formats', () => {
    for (const bad of [
      '2024-02-30 10:00:00',
      '2024-03-05T14:02:11',
      '2024-03-05',
      '2024-03-05 25:00:00',
      '05/03/2024 14:02',
    ]) {
      expect(code(snDateTime.transform(bad))).toBe('invalid_format')
    }
  })

  it('writes a date back in the value format, in UTC', () => {
    expect(snDateTime.inverse?.transform(new Date('2024-03-05T14:02:11.900Z'))).toEqual({
      ok: true,
      value: '2024-03-05 14:02:11',
    })
  })
})

describe('snDate', () => {
  it('reads a date field to midnight UTC and accepts 29 February in a leap year', () => {
    const result = snDate.transform('2024-02-29')
    expect(result.ok && result.value.toISOString()).toBe('2024-02-29T00:00:00.000Z')
    expect(code(snDate.transform('2023-02-29'))).toBe('invalid_format')
  })
})

describe('snBoolean', () => {
  it('reads "true" and "false"', () => {
    expect(snBoolean.transform('true')).toEqual({ ok: true, value: true })
    expect(snBoolean.transform('false')).toEqual({ ok: true, value: false })
  })

  it('refuses anything else', () => {
    expect(code(snBoolean.transform('yes'))).toBe('invalid_format')
    expect(code(snBoolean.transform(1))).toBe('invalid_type')
  })

  it('writes the strings ServiceNow uses', () => {
    expect(snBoolean.inverse?.transform(false)).toEqual({ ok: true, value: 'false' })
  })
})

describe('snValue', () => {
  const sysIdText = '5b1e0f0a1b2c3d4e5f60718293a4b5c6'

  it('unwraps a reference {link, value}', () => {
    const reference = {
      link: `https://dev00001.service-now.com/api/now/table/sys_user/${sysIdText}`,
      value: sysIdText,
    }
    expect(snValue.transform(reference)).toEqual({ ok: true, value: sysIdText })
  })

  it('unwraps {display_value, value} and passes plain strings through', () => {
    expect(snValue.transform({ display_value: 'New', value: '1' })).toEqual({ ok: true, value: '1' })
    expect(snValue.transform('2')).toEqual({ ok: true, value: '2' })
  })

  it('reads the empty shape {display_value: null, value: ""} as empty text', () => {
    expect(snValue.transform({ display_value: null, value: '' })).toEqual({ ok: true, value: '' })
  })

  it('refuses a display-only reference, which has no stored value', () => {
    expect(code(snValue.transform({ display_value: 'Beth Anglin', link: 'https://x/sys_user/1' }))).toBe(
      'invalid_type',
    )
  })

  it('reads the display value when asked', () => {
    expect(snDisplayValue.transform({ display_value: 'In Progress', value: '2' })).toEqual({
      ok: true,
      value: 'In Progress',
    })
  })

  it('checks sys_ids inside references', () => {
    expect(sysId.transform({ link: 'x', value: sysIdText.toUpperCase() })).toEqual({
      ok: true,
      value: sysIdText,
    })
    expect(code(sysId.transform('global'))).toBe('invalid_format')
  })
})
