import { describe, expect, it } from 'vitest'
import type { MatchRecord } from './match-record.js'
import { matchRecords } from './match-records.js'
import {
  defaultMatchRules,
  dunsRule,
  emailRule,
  fuzzyNameRule,
  namePostcodeRule,
  phoneRule,
  RULE_CONFIDENCE,
  taxIdRule,
} from './match-rules.js'

const crm = (id: string, fields: Omit<MatchRecord, 'ref'>): MatchRecord => ({
  ref: { system: 'crm', id },
  ...fields,
})
const erp = (id: string, fields: Omit<MatchRecord, 'ref'>): MatchRecord => ({
  ref: { system: 'erp', id },
  ...fields,
})

describe('match rules', () => {
  it('explains an email match with the normalized and source values at 0.95', () => {
    const { matches } = matchRecords(
      [crm('1', { email: ' JANE@Example.com' })],
      [erp('A', { email: 'jane@example.com' })],
      [emailRule()],
    )
    expect(matches).toEqual([
      {
        a: { system: 'crm', id: '1' },
        b: { system: 'erp', id: 'A' },
        confidence: 0.95,
        explanations: [
          {
            rule: 'email',
            confidence: 0.95,
            compared: ['jane@example.com', 'jane@example.com'],
            source: [{ email: ' JANE@Example.com' }, { email: 'jane@example.com' }],
          },
        ],
      },
    ])
  })

  it('matches phones in +44, 0044 and (0) forms as one E.164 number at 0.85', () => {
    const { matches } = matchRecords(
      [crm('1', { phone: '+44 (0)20 7946 0958' })],
      [erp('A', { phone: '0044 20 7946 0958' })],
      [phoneRule()],
    )
    expect(matches[0]?.explanations[0]).toMatchObject({
      rule: 'phone',
      confidence: 0.85,
      compared: ['+442079460958', '+442079460958'],
    })
  })

  it("reads a national phone number in the record's country before the default region", () => {
    const rule = phoneRule({ defaultRegion: 'US' })
    expect(rule.keys(crm('1', { phone: '030 1234567', country: 'DE' }))[0]?.value).toBe('+49301234567')
    expect(rule.keys(crm('2', { phone: '(415) 555-2671' }))[0]?.value).toBe('+14155552671')
  })

  it('matches a prefixed VAT number with a bare one of the same country at 0.98', () => {
    const { matches } = matchRecords(
      [crm('1', { taxId: 'DE 123 456 789' })],
      [erp('A', { taxId: '123456789', country: 'de' })],
      [taxIdRule()],
    )
    expect(matches[0]?.explanations[0]).toMatchObject({
      rule: 'tax-id',
      confidence: 0.98,
      compared: ['DE123456789', 'DE123456789'],
    })
  })

  it('matches a dashed DUNS with a plain one at 0.97', () => {
    const { matches } = matchRecords(
      [crm('1', { duns: '15-048-3782' })],
      [erp('A', { duns: '150483782' })],
      [dunsRule()],
    )
    expect(matches[0]?.explanations[0]).toMatchObject({
      rule: 'duns',
      confidence: 0.97,
      compared: ['150483782', '150483782'],
    })
  })

  it('matches "ACME GmbH" with "Acme Inc." at the same postcode at 0.8', () => {
    const { matches } = matchRecords(
      [crm('1', { name: 'ACME GmbH', postcode: '10115' })],
      [erp('A', { name: 'Acme Inc.', postcode: ' 10115 ' })],
      [namePostcodeRule()],
    )
    expect(matches[0]?.explanations[0]).toEqual({
      rule: 'name-postcode',
      confidence: 0.8,
      compared: ['acme | 10115', 'acme | 10115'],
      source: [
        { name: 'ACME GmbH', postcode: '10115' },
        { name: 'Acme Inc.', postcode: ' 10115 ' },
      ],
    })
  })

  it('does not match the same name at another postcode', () => {
    const { matches } = matchRecords(
      [crm('1', { name: 'ACME GmbH', postcode: '10115' })],
      [erp('A', { name: 'Acme', postcode: '10117' })],
      [namePostcodeRule()],
    )
    expect(matches).toEqual([])
  })

  it('combines the rules that fired as independent evidence, 1 − Π(1 − c)', () => {
    const { matches } = matchRecords(
      [crm('1', { email: 'jane@example.com', phone: '+44 20 7946 0958' })],
      [erp('A', { email: 'JANE@example.com', phone: '020 7946 0958', country: 'GB' })],
      defaultMatchRules(),
    )
    expect(matches[0]?.explanations.map((explanation) => explanation.rule)).toEqual(['email', 'phone'])
    expect(matches[0]?.confidence).toBeCloseTo(
      1 - (1 - RULE_CONFIDENCE.email) * (1 - RULE_CONFIDENCE.phone),
      4,
    )
  })

  it('leaves the fuzzy name rule out by default', () => {
    expect(defaultMatchRules().map((rule) => rule.name)).toEqual([
      'tax-id',
      'duns',
      'email',
      'phone',
      'name-postcode',
    ])
    const typo = matchRecords(
      [crm('1', { name: 'Acme Industries GmbH', postcode: '10115' })],
      [erp('A', { name: 'Acme Industires', postcode: '10115' })],
      defaultMatchRules(),
    )
    expect(typo.matches).toEqual([])
  })

  it('matches a typo with the fuzzy rule when asked, with its similarity', () => {
    const { matches } = matchRecords(
      [crm('1', { name: 'Acme Industries GmbH', postcode: '10115' })],
      [erp('A', { name: 'Acme Industires', postcode: '10115' })],
      defaultMatchRules({ fuzzy: true }),
    )
    expect(matches[0]?.explanations).toEqual([
      {
        rule: 'fuzzy-name',
        confidence: 0.6067,
        similarity: 0.8667,
        compared: ['acme industries | 10115', 'acme industires | 10115'],
        source: [
          { name: 'Acme Industries GmbH', postcode: '10115' },
          { name: 'Acme Industires', postcode: '10115' },
        ],
      },
    ])
  })

  it('leaves equal names to the name and postcode rule, so one match is not counted twice', () => {
    const rule = fuzzyNameRule()
    const key = (name: string) => ({ block: '10115', value: 'acme | 10115', source: { name } })
    expect(rule.compare?.(key('crm'), key('erp'))).toBeUndefined()
  })

  it('rejects a fuzzy pair below the threshold', () => {
    const { matches } = matchRecords(
      [crm('1', { name: 'Acme Industries', postcode: '10115' })],
      [erp('A', { name: 'Apex Logistics', postcode: '10115' })],
      [fuzzyNameRule()],
    )
    expect(matches).toEqual([])
  })

  it('never compares fuzzy candidates in different postcodes', () => {
    const { stats } = matchRecords(
      [crm('1', { name: 'Acme', postcode: '10115' })],
      [erp('A', { name: 'Acme', postcode: '10117' })],
      [fuzzyNameRule()],
    )
    expect(stats.comparisons).toBe(0)
  })

  it('blocks fuzzy candidates by postcode and name prefix when asked', () => {
    const { stats, matches } = matchRecords(
      [crm('1', { name: 'Acme Industries', postcode: '10115' })],
      [
        erp('A', { name: 'Acme Industires', postcode: '10115' }),
        erp('B', { name: 'Zenith Acme', postcode: '10115' }),
      ],
      [fuzzyNameRule({ blockBy: 'name-prefix' })],
    )
    expect(stats.comparisons).toBe(1)
    expect(matches.map((match) => match.b.id)).toEqual(['A'])
  })
})
