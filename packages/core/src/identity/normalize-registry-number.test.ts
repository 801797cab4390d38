import { describe, expect, it } from 'vitest'
import { normalizeDuns, normalizeTaxId } from './normalize-registry-number.js'

describe('normalizeTaxId', () => {
  it.each([
    ['DE123456789', undefined, 'DE123456789'],
    ['de 123 456 789', undefined, 'DE123456789'],
    ['DE-123.456.789', undefined, 'DE123456789'],
    ['123456789', 'DE', 'DE123456789'],
    ['123 456 789', ' de ', 'DE123456789'],
    ['GR 094014201', undefined, 'EL094014201'],
    ['094014201', 'GR', 'EL094014201'],
    ['GB 123 4567 89', undefined, 'GB123456789'],
    ['ＦＲ４０３０３２６５０４５', undefined, 'FR40303265045'],
    ['12-3456789', 'US', 'US123456789'],
    ['12-3456789', undefined, '123456789'],
    ['NL 8192.34.567.B01', undefined, 'NL819234567B01'],
  ])('normalizes %j (country %s) to %j', (raw, country, key) => {
    expect(normalizeTaxId(raw, country)).toBe(key)
  })

  it.each([[''], ['n/a'], ['DE 12'], ['UNKNOWN'], [null]])('rejects %j', (raw) => {
    expect(normalizeTaxId(raw, 'DE')).toBeUndefined()
  })
})

describe('normalizeDuns', () => {
  it.each([
    ['150483782', '150483782'],
    ['15-048-3782', '150483782'],
    [' 15 048 3782 ', '150483782'],
    ['１５０４８３７８２', '150483782'],
    [12345678, '012345678'],
  ] as const)('normalizes %j to %j', (raw, key) => {
    expect(normalizeDuns(raw)).toBe(key)
  })

  it.each([['15048378'], ['1504837821'], ['000000000'], ['999-999-999'], ['15O483782'], [null]])(
    'rejects %j',
    (raw) => {
      expect(normalizeDuns(raw)).toBeUndefined()
    },
  )
})
