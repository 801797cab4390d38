import { describe, expect, it } from 'vitest'
import type { EntitySetInfo } from '../metadata/service-metadata.js'
import { parseFilter } from '../testing/filter-parser.js'
import { keyPredicate, odataLiteral } from './odata-literal.js'

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

describe('odataLiteral', () => {
  it('quotes strings and doubles single quotes', () => {
    expect(odataLiteral("O'Neil")).toBe("'O''Neil'")
  })

  it('writes untyped numbers as Int32, Int64 (L) or decimals (M) in V2 and bare in V4', () => {
    expect([odataLiteral(42), odataLiteral(2 ** 40), odataLiteral(12.5)]).toEqual([
      '42',
      '1099511627776L',
      '12.5M',
    ])
    expect(odataLiteral(12.5, { version: 'v4' })).toBe('12.5')
  })

  it.each([
    [
      'Edm.Guid',
      'AAAABBBB-CCCC-DDDD-EEEE-FFFF00001111',
      "guid'aaaabbbb-cccc-dddd-eeee-ffff00001111'",
      'aaaabbbb-cccc-dddd-eeee-ffff00001111',
    ],
    [
      'Edm.DateTime',
      new Date('2024-01-15T00:00:00Z'),
      "datetime'2024-01-15T00:00:00'",
      "datetime'2024-01-15T00:00:00'",
    ],
    [
      'Edm.DateTimeOffset',
      new Date('2024-03-01T08:30:00Z'),
      "datetimeoffset'2024-03-01T08:30:00Z'",
      '2024-03-01T08:30:00Z',
    ],
    ['Edm.Date', '2024-01-15', '2024-01-15', '2024-01-15'],
    ['Edm.Decimal', '12.5', '12.5M', '12.5'],
    ['Edm.Int64', 10, '10L', '10'],
    ['Edm.Double', 1.5, '1.5D', '1.5'],
    ['Edm.Time', '13:20:05', "time'PT13H20M05S'", "time'PT13H20M05S'"],
  ] as const)('writes %s in the V2 and V4 forms of the sheet', (type, value, v2, v4) => {
    expect(odataLiteral(value, { version: 'v2', type })).toBe(v2)
    if (type !== 'Edm.Time') expect(odataLiteral(value, { version: 'v4', type })).toBe(v4)
  })

  it.each([
    ['Edm.Decimal', "1 or 'a' eq 'a'"],
    ['Edm.Int64', '1.5'],
    ['Edm.Guid', "x' or '1"],
    ['Edm.DateTimeOffset', 'yesterday'],
    ['Edm.Boolean', 'true'],
  ])('refuses text that is not a valid %s, without echoing it', (type, value) => {
    expect(() => odataLiteral(value, { version: 'v2', type })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
    try {
      odataLiteral(value, { version: 'v2', type })
    } catch (error) {
      expect((error as Error).message).not.toContain(value)
    }
  })

  it.each(HOSTILE)('round-trips %j through the simulator filter parser unchanged', (value) => {
    const node = parseFilter(`Name eq ${odataLiteral(value)}`, 'v2')
    expect(node).toEqual({
      kind: 'compare',
      operator: 'eq',
      left: { kind: 'property', path: 'Name' },
      right: { kind: 'literal', literal: { kind: 'string', value } },
    })
  })
})

const itemSet: EntitySetInfo = {
  name: 'A_TestEntity',
  entityType: 'X.A_TestEntityType',
  keys: ['KeyPropertyGuid', 'KeyPropertyString'],
  properties: new Map([
    ['KeyPropertyGuid', { name: 'KeyPropertyGuid', type: 'Edm.Guid', nullable: false }],
    ['KeyPropertyString', { name: 'KeyPropertyString', type: 'Edm.String', nullable: false }],
  ]),
  navigation: [],
  creatable: true,
  updatable: true,
  deletable: true,
  concurrency: [],
}

describe('keyPredicate', () => {
  it('writes a single key positionally, percent-encoding the literal', () => {
    expect(keyPredicate("O'Neil/x?y", 'v2')).toBe(`(${encodeURIComponent("'O''Neil/x?y'")})`)
  })

  it('writes a composite key with a typed GUID part (sheet §1.6)', () => {
    const key = keyPredicate(
      { KeyPropertyGuid: 'AAAABBBB-CCCC-DDDD-EEEE-FFFF00001111', KeyPropertyString: 'abc' },
      'v2',
      itemSet,
    )
    expect(decodeURIComponent(key)).toBe(
      "(KeyPropertyGuid=guid'aaaabbbb-cccc-dddd-eeee-ffff00001111',KeyPropertyString='abc')",
    )
  })

  it('refuses a key with missing or unknown parts', () => {
    expect(() => keyPredicate({ KeyPropertyString: 'abc' }, 'v2', itemSet)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })

  it('refuses a key part name that could break the path', () => {
    expect(() => keyPredicate({ 'a)/b': 'x' }, 'v2')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })
})
