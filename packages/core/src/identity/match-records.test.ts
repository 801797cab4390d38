import { beforeAll, describe, expect, it } from 'vitest'
import type { MatchRecord } from './match-record.js'
import { type MatchOutcome, matchRecords } from './match-records.js'
import { defaultMatchRules, emailRule } from './match-rules.js'
import { generateParties } from './test-support/generate-parties.js'

const crm = (id: string, email: string | null): MatchRecord => ({ ref: { system: 'crm', id }, email })
const erp = (id: string, email: string | null): MatchRecord => ({ ref: { system: 'erp', id }, email })

describe('matchRecords', () => {
  const parties = generateParties({ size: 10_000, seed: 7 })
  let generated: MatchOutcome

  beforeAll(() => {
    generated = matchRecords(parties.a, parties.b, defaultMatchRules({ fuzzy: true }))
  })

  it('compares far fewer than 10^8 candidate pairs for 10k × 10k records', () => {
    const { stats } = generated
    expect(stats.recordsA * stats.recordsB).toBe(100_000_000)
    expect(stats.comparisons).toBeLessThan(200_000)
  })

  it('finds most generated duplicates and no false match among them', () => {
    const { matches } = generated
    const same = (match: (typeof matches)[number]) => match.a.id.slice(1) === match.b.id.slice(1)
    expect(matches.filter(same).length).toBeGreaterThan(parties.duplicates * 0.9)
    expect(matches.filter((match) => !same(match))).toEqual([])
  })

  it('skips and counts a block larger than maxBlockSize', () => {
    const shared = Array.from({ length: 5 }, (_, index) => erp(`B${index}`, 'info@example.com'))
    const { matches, stats } = matchRecords([crm('1', 'info@example.com')], shared, [emailRule()], {
      maxBlockSize: 4,
    })
    expect(matches).toEqual([])
    expect(stats.rules.email).toMatchObject({ comparisons: 0, oversizedBlocks: 1 })
  })

  it('reports a record matched to several records on the other side as ambiguous', () => {
    const { ambiguous } = matchRecords(
      [crm('1', 'jane@example.com')],
      [erp('A', 'jane@example.com'), erp('B', 'JANE@example.com')],
      [emailRule()],
    )
    expect(ambiguous).toEqual([
      {
        ref: { system: 'crm', id: '1' },
        side: 'a',
        candidates: [
          { system: 'erp', id: 'A' },
          { system: 'erp', id: 'B' },
        ],
      },
    ])
  })

  it('drops matches below minConfidence', () => {
    const { matches, stats } = matchRecords(
      [crm('1', 'jane@example.com')],
      [erp('A', 'jane@example.com')],
      [emailRule()],
      {
        minConfidence: 0.96,
      },
    )
    expect(matches).toEqual([])
    expect(stats.matchedPairs).toBe(1)
  })

  it('never matches records whose keys are missing or invalid', () => {
    const { matches, stats } = matchRecords(
      [crm('1', null), crm('2', 'n/a')],
      [erp('A', null), erp('B', 'n/a')],
      [emailRule()],
    )
    expect(matches).toEqual([])
    expect(stats.rules.email).toMatchObject({ keyedA: 0, keyedB: 0 })
  })

  it('rejects a maxBlockSize below 1 with a ConfigError', () => {
    expect(() => matchRecords([], [], [emailRule()], { maxBlockSize: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: 'maxBlockSize' }),
    )
  })
})
