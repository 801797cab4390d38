import { describe, expect, it } from 'vitest'
import { bindFilter, buildFilter } from './odata-filter.js'

describe('buildFilter', () => {
  it('maps the portable operators to OData V2', () => {
    expect(buildFilter({ A: { gt: 1, gte: 2, lt: 3, lte: 4, ne: 'x' }, B: null }, 'v2')).toBe(
      "A gt 1 and A ge 2 and A lt 3 and A le 4 and A ne 'x' and B eq null",
    )
  })

  it('expands in and notIn into or / and chains', () => {
    expect(buildFilter({ A: { in: ['x', 'y'] }, B: { notIn: [1, 2] } }, 'v2')).toBe(
      "(A eq 'x' or A eq 'y') and (B ne 1 and B ne 2)",
    )
  })

  it('writes contains as substringof with the needle first in V2, and contains() in V4', () => {
    expect(buildFilter({ Name: { contains: "O'N" } }, 'v2')).toBe("substringof('O''N',Name)")
    expect(buildFilter({ Name: { contains: 'x' } }, 'v4')).toBe("contains(Name,'x')")
  })

  it('translates prefix, suffix and infix like patterns, and refuses others', () => {
    expect(buildFilter({ Name: { like: 'Ab%' } }, 'v2')).toBe("startswith(Name,'Ab')")
    expect(buildFilter({ Name: { like: '%Ab' } }, 'v2')).toBe("endswith(Name,'Ab')")
    expect(buildFilter({ Name: { like: '%Ab%' } }, 'v2')).toBe("substringof('Ab',Name)")
    expect(() => buildFilter({ Name: { like: 'A%b' } }, 'v2')).toThrow(
      expect.objectContaining({ code: 'NOT_SUPPORTED' }),
    )
  })

  it('refuses a field that is not a property path', () => {
    expect(() => buildFilter({ 'A eq 1 or B': 1 }, 'v2')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })

  it('appends eq true to boolean functions when asked', () => {
    expect(
      buildFilter({ Name: { contains: 'x' }, Id: 1 }, 'v2', undefined, { booleanFunctionsEqTrue: true }),
    ).toBe("substringof('x',Name) eq true and Id eq 1")
  })

  it('is undefined without conditions', () => {
    expect(buildFilter(undefined, 'v2')).toBeUndefined()
  })
})

describe('bindFilter', () => {
  it('binds parameters as literals and leaves quoted text alone', () => {
    expect(bindFilter({ text: "A eq :a and B eq ':b'", params: { a: "it's" } }, 'v2')).toBe(
      "A eq 'it''s' and B eq ':b'",
    )
  })

  it('refuses a parameter that is missing', () => {
    expect(() => bindFilter({ text: 'A eq :a' }, 'v2')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })
})
