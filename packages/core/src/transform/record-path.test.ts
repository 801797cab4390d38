import { describe, expect, it } from 'vitest'
import { isMissing, readPath, writePath } from './record-path.js'

describe('record paths', () => {
  it('reads nested paths and list indexes', () => {
    expect(readPath({ a: { b: [{ c: 1 }] } }, 'a.b.0.c')).toBe(1)
  })

  it('prefers a literal dotted key, as ServiceNow dot-walking returns', () => {
    expect(readPath({ 'caller_id.email': 'x@y.z', caller_id: { email: 'other' } }, 'caller_id.email')).toBe(
      'x@y.z',
    )
  })

  it('never reads inherited properties', () => {
    expect(readPath({}, 'constructor')).toBeUndefined()
    expect(readPath({ a: {} }, 'a.__proto__')).toBeUndefined()
    expect(readPath('text', 'length')).toBeUndefined()
  })

  it('creates objects on the way when writing', () => {
    const target: Record<string, unknown> = {}
    writePath(target, ['a', 'b'], 1)
    writePath(target, ['a', 'c'], 2)
    expect(target).toEqual({ a: { b: 1, c: 2 } })
  })

  it('counts absent, null, empty and blank text as missing, and zero or false as values', () => {
    expect([undefined, null, '', '  \t'].map(isMissing)).toEqual([true, true, true, true])
    expect([0, false, '0', []].map(isMissing)).toEqual([false, false, false, false])
  })
})
