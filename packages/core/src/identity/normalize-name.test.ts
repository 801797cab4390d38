import { describe, expect, it } from 'vitest'
import { normalizeName, normalizePostcode } from './normalize-name.js'

describe('normalizeName', () => {
  it.each([
    ['ACME GmbH', 'acme'],
    ['Acme', 'acme'],
    ['Acme Inc.', 'acme'],
    ['ACME S.A.', 'acme'],
    ['Acme Ltd', 'acme'],
    ['Acme Limited', 'acme'],
    ['Acme GmbH & Co. KG', 'acme'],
    ['Acme B.V.', 'acme'],
    ['Acme N.V.', 'acme'],
    ['Acme S.p.A.', 'acme'],
    ['Acme S.r.l.', 'acme'],
    ['Acme, S.L.', 'acme'],
    ['Acme S.A.R.L.', 'acme'],
    ['Acme SAS', 'acme'],
    ['Acme PLC', 'acme'],
    ['Acme L.L.C.', 'acme'],
    ['Acme Corporation', 'acme'],
    ['Acme Kabushiki Kaisha', 'acme'],
    ['Acme K.K.', 'acme'],
    ['The Acme Company', 'acme'],
    ['ＡＣＭＥ　ＧＭＢＨ', 'acme'],
    ['  Ácmé \t s.a. ', 'acme'],
    ['株式会社アクメ', 'アクメ'],
    ['アクメ株式会社', 'アクメ'],
    ['㈱アクメ', 'アクメ'],
    ['ガス株式会社', 'ガス'],
    ['Müller & Söhne GmbH', 'muller and sohne'],
    ['Straße AG', 'strasse'],
    ['Łódź Ørsted Æble', 'lodz orsted aeble'],
    ["McDonald's Corp.", 'mcdonalds'],
    ['Smith & Co.', 'smith'],
    ['Société Générale S.A.', 'societe generale'],
  ])('normalizes %j to %j', (raw, key) => {
    expect(normalizeName(raw)).toBe(key)
  })

  it('keeps the last word of a name made only of a legal form', () => {
    expect(normalizeName('Limited')).toBe('limited')
  })

  it.each([[''], ['  '], ['.,;'], [null], [undefined]])('rejects %j', (raw) => {
    expect(normalizeName(raw)).toBeUndefined()
  })
})

describe('normalizePostcode', () => {
  it.each([
    ['sw1a 1aa', 'SW1A1AA'],
    [' SW1A-1AA ', 'SW1A1AA'],
    ['75008', '75008'],
    [75008, '75008'],
    ['D-10115', 'D10115'],
    ['１０１１５', '10115'],
  ] as const)('normalizes %j to %j', (raw, key) => {
    expect(normalizePostcode(raw)).toBe(key)
  })

  it.each([[''], ['1'], [' - '], [null]])('rejects %j', (raw) => {
    expect(normalizePostcode(raw)).toBeUndefined()
  })
})
