import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json.js'

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}',
    )
  })

  it('gives a value and its JSON round trip the same text', () => {
    const value = { time: new Date('2026-11-24T10:00:00Z'), n: 0.1 + 0.2, s: 'é\u2028"', skip: undefined }
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value))
  })

  it('writes undefined array members as null and leaves undefined object members out', () => {
    expect(canonicalJson({ a: undefined, list: [undefined, 1] })).toBe('{"list":[null,1]}')
  })

  it('throws a TypeError for a BigInt', () => {
    expect(() => canonicalJson({ amount: 1n })).toThrow(TypeError)
  })
})
