import { describe, expect, it } from 'vitest'
import { parseSapDate, sapDate, sapDateTime, sapDateTimeOffset, sapTime } from './sap-formats.js'
import type { TransformResult } from './transformer.js'

const code = <T>(result: TransformResult<T>) => (result.ok ? 'ok' : result.issues[0]?.code)
const time = (result: TransformResult<Date | null>) => (result.ok ? result.value?.toISOString() : undefined)

describe('parseSapDate', () => {
  it('reads milliseconds and an offset in minutes', () => {
    expect(parseSapDate('/Date(1709281800123+0000)/')).toEqual({ ms: 1709281800123, offsetMinutes: 0 })
    expect(parseSapDate('/Date(1709281800000+0120)/')).toEqual({ ms: 1709281800000, offsetMinutes: 120 })
    expect(parseSapDate('/Date(1709281800000-0060)/')).toEqual({ ms: 1709281800000, offsetMinutes: -60 })
  })

  it('returns undefined for malformed text', () => {
    for (const bad of [
      '/Date()/',
      '/Date(abc)/',
      'Date(1)',
      '/Date(1+01)/',
      '/Date(99999999999999999)/',
      '/Date(1)/x',
    ]) {
      expect(parseSapDate(bad)).toBeUndefined()
    }
  })
})

describe('sapDateTime', () => {
  it('reads the worked values of the fact sheet as UTC instants', () => {
    expect(time(sapDateTime.transform('/Date(1705276800000)/'))).toBe('2024-01-15T00:00:00.000Z')
    expect(time(sapDateTime.transform('/Date(1709281800000)/'))).toBe('2024-03-01T08:30:00.000Z')
  })

  it('keeps the instant when an offset suffix is present', () => {
    expect(time(sapDateTimeOffset.transform('/Date(1525357189000+0000)/'))).toBe('2018-05-03T14:19:49.000Z')
    expect(time(sapDateTimeOffset.transform('/Date(1709281800000+0120)/'))).toBe('2024-03-01T08:30:00.000Z')
  })

  it('reads negative milliseconds (dates before 1970)', () => {
    expect(time(sapDateTime.transform('/Date(-86400000)/'))).toBe('1969-12-31T00:00:00.000Z')
  })

  it('turns the 9999-12-31 open end into null', () => {
    expect(sapDateTime.transform('/Date(253402214400000)/')).toEqual({ ok: true, value: null })
    expect(sapDateTimeOffset.transform('/Date(253402300799000+0000)/')).toEqual({ ok: true, value: null })
  })

  it('keeps the open end as a date when configured to', () => {
    expect(time(sapDate({ openEnd: 'keep' }).transform('/Date(253402214400000)/'))).toBe(
      '9999-12-31T00:00:00.000Z',
    )
  })

  it('accepts the ISO-8601 forms OData V4 sends', () => {
    expect(time(sapDateTimeOffset.transform('2024-03-01T08:30:00Z'))).toBe('2024-03-01T08:30:00.000Z')
    expect(time(sapDateTime.transform('2024-01-15'))).toBe('2024-01-15T00:00:00.000Z')
  })

  it('reports malformed dates as invalid_format and non-text as invalid_type', () => {
    expect(code(sapDateTime.transform('/Date(1709281800000+1)/'))).toBe('invalid_format')
    expect(code(sapDateTime.transform('2024-02-30'))).toBe('invalid_format')
    expect(code(sapDateTime.transform('2024-03-01T08:30:00'))).toBe('invalid_format')
    expect(code(sapDateTime.transform(1709281800000))).toBe('invalid_type')
  })

  it('writes back /Date(ms)/ for DateTime and /Date(ms+0000)/ for DateTimeOffset', () => {
    const date = new Date('2024-03-01T08:30:00.000Z')
    expect(sapDateTime.inverse?.transform(date)).toEqual({ ok: true, value: '/Date(1709281800000)/' })
    expect(sapDateTimeOffset.inverse?.transform(date)).toEqual({
      ok: true,
      value: '/Date(1709281800000+0000)/',
    })
    expect(code(sapDateTime.inverse?.transform(new Date('x')) ?? { ok: true, value: 1 })).toBe('invalid_type')
  })
})

describe('sapTime', () => {
  it('turns an Edm.Time into a time of day', () => {
    expect(sapTime.transform('PT13H20M05S')).toEqual({ ok: true, value: '13:20:05' })
    expect(sapTime.transform('PT12H30M00S')).toEqual({ ok: true, value: '12:30:00' })
  })

  it('fills omitted parts and keeps fractions', () => {
    expect(sapTime.transform('PT5M')).toEqual({ ok: true, value: '00:05:00' })
    expect(sapTime.transform('PT1H0M0.5S')).toEqual({ ok: true, value: '01:00:00.5' })
  })

  it('refuses malformed and out-of-range times', () => {
    expect(code(sapTime.transform('PT'))).toBe('invalid_format')
    expect(code(sapTime.transform('13:20:05'))).toBe('invalid_format')
    expect(code(sapTime.transform('PT24H00M00S'))).toBe('out_of_range')
    expect(code(sapTime.transform('PT10H60M00S'))).toBe('out_of_range')
  })

  it('writes a time of day back as an Edm.Time', () => {
    expect(sapTime.inverse?.transform('12:30:00')).toEqual({ ok: true, value: 'PT12H30M00S' })
  })
})
