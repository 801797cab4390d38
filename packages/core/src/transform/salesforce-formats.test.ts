import { describe, expect, it } from 'vitest'
import { sfDate, sfDateTime } from './salesforce-formats.js'
import type { TransformResult } from './transformer.js'

const code = <T>(result: TransformResult<T>) => (result.ok ? 'ok' : result.issues[0]?.code)

describe('salesforce dates', () => {
  it('reads a datetime with the +0000 offset Salesforce sends', () => {
    const result = sfDateTime.transform('2024-05-07T22:07:19.000+0000')
    expect(result.ok && result.value.toISOString()).toBe('2024-05-07T22:07:19.000Z')
  })

  it('applies a non-zero offset', () => {
    const result = sfDateTime.transform('2024-05-07T22:07:19+02:00')
    expect(result.ok && result.value.toISOString()).toBe('2024-05-07T20:07:19.000Z')
  })

  it('reads a date to midnight UTC', () => {
    const result = sfDate.transform('2024-05-07')
    expect(result.ok && result.value.toISOString()).toBe('2024-05-07T00:00:00.000Z')
  })

  it('tells a date from a datetime', () => {
    expect(code(sfDate.transform('2024-05-07T22:07:19.000+0000'))).toBe('invalid_format')
    expect(code(sfDateTime.transform('2024-05-07'))).toBe('invalid_format')
  })

  it('refuses a datetime without an offset, whose instant is unknown', () => {
    expect(code(sfDateTime.transform('2024-05-07T22:07:19'))).toBe('invalid_format')
  })

  it('writes dates back as YYYY-MM-DD and datetimes as ISO-8601', () => {
    const date = new Date('2024-05-07T22:07:19.000Z')
    expect(sfDate.inverse?.transform(date)).toEqual({ ok: true, value: '2024-05-07' })
    expect(sfDateTime.inverse?.transform(date)).toEqual({ ok: true, value: '2024-05-07T22:07:19.000Z' })
  })
})
