import { describe, expect, it } from 'vitest'
import { parseSalesforceId, salesforceId, salesforceIdsEqual, toSalesforceId18 } from './salesforce-id.js'

// Pairs published with the algorithm (Salesforce's own REST sample, and public worked examples).
const knownPairs = [
  ['001D000000IRFma', '001D000000IRFmaIAH'],
  ['a0D30000001n7Pi', 'a0D30000001n7PiEAI'],
  ['a0RE000000IJmcN', 'a0RE000000IJmcNMAT'],
  ['a01M00000062mPg', 'a01M00000062mPgIAI'],
  ['001M000000qfPyS', '001M000000qfPySIAU'],
  ['a0FE000000D6r3F', 'a0FE000000D6r3FMAR'],
  ['0F9E000000092w2', '0F9E000000092w2KAA'],
  ['aaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaAAA'],
  ['AAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAA555'],
] as const

describe('salesforce ids', () => {
  it.each(knownPairs)('turns %s into %s', (id15, id18) => {
    expect(toSalesforceId18(id15)).toBe(id18)
  })

  it('keeps a valid 18-character id as it is', () => {
    expect(toSalesforceId18('001D000000IRFmaIAH')).toBe('001D000000IRFmaIAH')
  })

  it('restores the case of an 18-character id lower-cased by a case-insensitive store', () => {
    expect(toSalesforceId18('001d000000irfmaiah')).toBe('001D000000IRFmaIAH')
  })

  it('treats 15 and 18 characters of the same record as equal', () => {
    expect(salesforceIdsEqual('001D000000IRFma', '001D000000IRFmaIAH')).toBe(true)
    expect(salesforceIdsEqual('001d000000irfmaiah', '001D000000IRFma')).toBe(true)
  })

  it('keeps 15-character ids that differ only in case apart', () => {
    expect(salesforceIdsEqual('001D000000IRFma', '001D000000IRFMA')).toBe(false)
  })

  it('never equates something that is not an id', () => {
    expect(salesforceIdsEqual('', '')).toBe(false)
    expect(salesforceIdsEqual('not-an-id', 'not-an-id')).toBe(false)
  })

  it('reports a suffix that marks a digit as upper-case as invalid_checksum', () => {
    const result = parseSalesforceId('001D000000IRFmaZAH')
    expect(result.ok ? result.value : result.issues[0]?.code).toBe('invalid_checksum')
  })

  it('reports wrong lengths and characters as invalid_format', () => {
    for (const bad of [
      '001D000000IRFm',
      '001D000000IRFmaIA',
      '001D000000IRF-a',
      '001D000000IRFmaIA9',
      ' '.repeat(15),
    ]) {
      const result = parseSalesforceId(bad)
      expect(result.ok ? result.value : result.issues[0]?.code).toBe('invalid_format')
    }
  })

  it('is a converter whose write-back sends the 18-character id', () => {
    expect(salesforceId.transform(' 001D000000IRFma ')).toEqual({ ok: true, value: '001D000000IRFmaIAH' })
    expect(salesforceId.inverse?.transform('001D000000IRFmaIAH')).toEqual({
      ok: true,
      value: '001D000000IRFmaIAH',
    })
  })
})
