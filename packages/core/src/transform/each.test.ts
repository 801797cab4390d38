import { describe, expect, it } from 'vitest'
import { decimal } from './decimal.js'
import { each } from './each.js'

describe('each', () => {
  it('converts every element of a list', () => {
    expect(each(decimal).transform(['1.50', 2])).toEqual({ ok: true, value: ['1.50', '2'] })
  })

  it('unwraps SAP’s expanded {results: [...]}', () => {
    expect(each(decimal).transform({ results: ['007'] })).toEqual({ ok: true, value: ['7'] })
  })

  it('reports every bad element with its index', () => {
    const result = each(decimal).transform(['1', 'x', '2', {}])
    expect(result).toMatchObject({
      ok: false,
      issues: [
        { path: [1], code: 'invalid_format' },
        { path: [3], code: 'invalid_type' },
      ],
    })
  })

  it('refuses a value that is not a list', () => {
    expect(each(decimal).transform('1,2')).toMatchObject({
      ok: false,
      issues: [{ path: [], code: 'invalid_type' }],
    })
  })

  it('inverts element by element', () => {
    expect(each(decimal).inverse?.transform(['1.5'])).toEqual({ ok: true, value: ['1.5'] })
  })
})
