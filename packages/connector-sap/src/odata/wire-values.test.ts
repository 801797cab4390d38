import { describe, expect, it } from 'vitest'
import type { EdmProperty, EntitySetInfo } from '../metadata/service-metadata.js'
import { fromWire, toWire } from './wire-values.js'

const property = (name: string, type: string): [string, EdmProperty] => [name, { name, type, nullable: true }]
const set: EntitySetInfo = {
  name: 'A_X',
  entityType: 'S.A_XType',
  keys: ['Id'],
  properties: new Map([
    property('Id', 'Edm.String'),
    property('Amount', 'Edm.Decimal'),
    property('Big', 'Edm.Int64'),
    property('At', 'Edm.DateTimeOffset'),
    property('On', 'Edm.DateTime'),
    property('Day', 'Edm.Date'),
    property('Time', 'Edm.Time'),
    property('Uuid', 'Edm.Guid'),
    property('Ratio', 'Edm.Double'),
  ]),
  navigation: [],
  creatable: true,
  updatable: true,
  deletable: true,
  concurrency: [],
}

describe('fromWire', () => {
  it('types V2 values with core converters, keeping decimals and Int64 exact', () => {
    expect(
      fromWire(
        {
          Id: 'a',
          Amount: '1250.500',
          Big: '9223372036854775807',
          At: '/Date(1525357189000+0060)/',
          On: '/Date(-86400000)/',
          Time: 'PT13H20M05S',
          Uuid: 'AAAABBBB-CCCC-DDDD-EEEE-FFFF00001111',
          Ratio: '432.5',
          Extra: 1,
        },
        set,
        'null',
      ),
    ).toEqual({
      Id: 'a',
      Amount: '1250.500',
      Big: '9223372036854775807',
      At: new Date(1525357189000),
      On: new Date('1969-12-31T00:00:00Z'),
      Time: '13:20:05',
      Uuid: 'aaaabbbb-cccc-dddd-eeee-ffff00001111',
      Ratio: 432.5,
      Extra: 1,
    })
  })

  it('reads V4 ISO dates and numbers', () => {
    expect(
      fromWire({ Day: '2024-03-01', At: '2024-03-01T08:30:00.123Z', Amount: 12.5 }, set, 'null'),
    ).toEqual({
      Day: new Date('2024-03-01T00:00:00Z'),
      At: new Date('2024-03-01T08:30:00.123Z'),
      Amount: '12.5',
    })
  })

  it('refuses a malformed value naming the set and property', () => {
    expect(() => fromWire({ At: '/Date(nope)/' }, set, 'null')).toThrow(
      expect.objectContaining({
        code: 'MALFORMED_RESPONSE',
        message: 'sap: A_X.At is not a valid Edm.DateTimeOffset value',
      }),
    )
  })
})

describe('toWire', () => {
  it('writes V2 dates as /Date(ms)/ and DateTimeOffset with +0000, decimals as exact text and times as PT', () => {
    const at = new Date('2024-03-01T08:30:00Z')
    expect(
      toWire({ On: at, At: at, Amount: 12.5, Big: '10', Time: '13:20:05', Items: [{ X: 1 }] }, set, 'v2'),
    ).toEqual({
      On: `/Date(${at.getTime()})/`,
      At: `/Date(${at.getTime()}+0000)/`,
      Amount: '12.5',
      Big: '10',
      Time: 'PT13H20M05S',
      Items: [{ X: 1 }],
    })
  })

  it('writes V4 dates as ISO text', () => {
    const at = new Date('2024-03-01T08:30:00Z')
    expect(toWire({ Day: at, At: at }, set, 'v4')).toEqual({
      Day: '2024-03-01',
      At: '2024-03-01T08:30:00.000Z',
    })
  })

  it('refuses an amount that is not a decimal', () => {
    expect(() => toWire({ Amount: 'lots' }, set, 'v2')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })
})
