import { describe, expect, it } from 'vitest'
import { multiPicklist, picklist } from './picklist.js'
import type { TransformResult } from './transformer.js'

const code = <T>(result: TransformResult<T>) => (result.ok ? 'ok' : result.issues[0]?.code)

describe('picklist', () => {
  const status = picklist(['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted'])

  it('accepts an allowed value', () => {
    expect(status.transform('Working - Contacted')).toEqual({ ok: true, value: 'Working - Contacted' })
  })

  it('reports a value outside the allowed ones as not_allowed', () => {
    expect(code(status.transform('working - contacted'))).toBe('not_allowed')
  })

  it('matches regardless of case when asked and returns the allowed spelling', () => {
    const loose = picklist(['Hot', 'Warm', 'Cold'], { ignoreCase: true })
    expect(loose.transform(' hot ')).toEqual({ ok: true, value: 'Hot' })
  })

  it('accepts any text without a list of allowed values', () => {
    expect(picklist().transform('Anything')).toEqual({ ok: true, value: 'Anything' })
  })
})

describe('multiPicklist', () => {
  const colours = multiPicklist(['Red', 'Green', 'Blue'])

  it('splits "A;B" and checks each value', () => {
    expect(colours.transform('Red;Blue')).toEqual({ ok: true, value: ['Red', 'Blue'] })
    expect(code(colours.transform('Red;Pink'))).toBe('not_allowed')
  })

  it('writes back joined with ";"', () => {
    expect(colours.inverse?.transform(['Red', 'Green'])).toEqual({ ok: true, value: 'Red;Green' })
  })
})
