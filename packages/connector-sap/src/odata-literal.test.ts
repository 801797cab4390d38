import { isJunctionError } from '@junction/core'
import { describe, expect, it } from 'vitest'
import { bindFilter, buildFilter, keyPredicate, odataLiteral } from './odata-literal.js'
import { parseFilter, parseKeyPredicate } from './testing/odata-parser.js'

const HOSTILE = [
  "O'Neil",
  "x' or BusinessPartner ne 'y",
  "''",
  "'",
  'back\\slash\\',
  'line\nbreak\r\n',
  'a)/b,c=d',
  '50% & more?#',
  ' eq ',
]
const validation = expect.objectContaining({ code: 'VALIDATION_FAILED' })

describe('odataLiteral', () => {
  it('quotes strings and doubles single quotes', () => {
    expect(odataLiteral("O'Neil")).toBe("'O''Neil'")
  })

  it('writes Int32 numbers bare, larger integers as Int64 and fractions as decimals', () => {
    expect([odataLiteral(42), odataLiteral(2 ** 40), odataLiteral(12.5)]).toEqual([
      '42',
      '1099511627776L',
      '12.5M',
    ])
  })

  it('writes dates as UTC datetime literals', () => {
    expect(odataLiteral(new Date('2024-01-15T00:00:00Z'))).toBe("datetime'2024-01-15T00:00:00'")
    expect(odataLiteral(new Date('2024-01-15T08:30:00.250Z'))).toBe("datetime'2024-01-15T08:30:00.250'")
  })

  it('writes booleans and null bare', () => {
    expect([odataLiteral(true), odataLiteral(false), odataLiteral(null)]).toEqual(['true', 'false', 'null'])
  })

  it.each(HOSTILE)('round-trips %j through the simulator filter parser unchanged', (value) => {
    const filter = buildFilter({ BusinessPartnerFullName: value, BusinessPartnerCategory: '1' })
    expect(parseFilter(filter ?? '')).toEqual([
      { property: 'BusinessPartnerFullName', value: { kind: 'string', value } },
      { property: 'BusinessPartnerCategory', value: { kind: 'string', value: '1' } },
    ])
  })
})

describe('keyPredicate', () => {
  it('writes a single key positionally', () => {
    expect(keyPredicate('1000123')).toBe("('1000123')")
  })

  it('writes a composite key by name', () => {
    expect(keyPredicate({ SalesOrder: '4711', SalesOrderItem: '10' })).toBe(
      "(SalesOrder='4711',SalesOrderItem='10')",
    )
  })

  it('percent-encodes what could end the path segment or start a query', () => {
    expect(keyPredicate('a/b?c#d')).toBe("('a%2Fb%3Fc%23d')")
  })

  it.each(HOSTILE)('round-trips %j through the simulator key parser unchanged', (value) => {
    const keys = parseKeyPredicate(
      decodeURIComponent(keyPredicate({ BusinessPartner: value, AddressID: '1' })),
    )
    expect(Object.fromEntries(keys)).toEqual({
      BusinessPartner: { kind: 'string', value },
      AddressID: { kind: 'string', value: '1' },
    })
  })

  it('rejects a key part name that is not an OData name', () => {
    expect(() => keyPredicate({ "A='x')/B(": 'y' })).toThrow(validation)
  })
})

describe('buildFilter', () => {
  it('joins equality conditions with and', () => {
    expect(buildFilter({ BusinessPartnerCategory: '2', IsMarkedForArchiving: false, Count: { eq: 3 } })).toBe(
      "BusinessPartnerCategory eq '2' and IsMarkedForArchiving eq false and Count eq 3",
    )
  })

  it('returns undefined without conditions', () => {
    expect(buildFilter({})).toBeUndefined()
  })

  it('rejects a property path that could carry an expression', () => {
    expect(() => buildFilter({ "A eq 'x' or B": 'y' })).toThrow(validation)
  })

  it('refuses operators other than equality as not supported', () => {
    let caught: unknown
    try {
      buildFilter({ Amount: { gte: 5 } })
    } catch (error) {
      caught = error
    }
    expect(isJunctionError(caught, 'NOT_SUPPORTED')).toBe(true)
  })
})

describe('bindFilter', () => {
  it('replaces :name parameters with literals, leaving quoted text alone', () => {
    expect(bindFilter({ text: "Name eq :name and Note eq 'at :noon'", params: { name: "O'Neil" } })).toBe(
      "Name eq 'O''Neil' and Note eq 'at :noon'",
    )
  })

  it('leaves colons inside typed literals alone', () => {
    expect(
      bindFilter({ text: "CreationDate ge datetime'2024-01-01T00:00:00' and A eq :a", params: { a: 1 } }),
    ).toBe("CreationDate ge datetime'2024-01-01T00:00:00' and A eq 1")
  })

  it('rejects missing and unused params', () => {
    expect(() => bindFilter({ text: 'A eq :a' })).toThrow(validation)
    expect(() => bindFilter({ text: "A eq 'x'", params: { a: 1 } })).toThrow(validation)
  })
})
