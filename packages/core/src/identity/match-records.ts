import { ConfigError } from '../errors/error-kinds.js'
import type { SystemRef } from './identity-link.js'
import type { MatchExplanation, MatchRecord, RecordMatch } from './match-record.js'
import type { MatchRule, RuleKey } from './match-rule.js'
import { round } from './match-rules.js'

/** Options for `matchRecords`. */
export interface MatchOptions {
  /**
   * A block with more records than this on B's side is skipped and counted in `oversizedBlocks`
   * (default 1,000): a key shared that widely is junk (`info@…`, a placeholder number), and
   * comparing it would make matching quadratic again.
   */
  maxBlockSize?: number
  /** Matches whose combined confidence is below this are dropped (default 0). */
  minConfidence?: number
}

/** What one rule did. */
export interface RuleStats {
  /** Records of A and of B the rule could key. */
  keyedA: number
  keyedB: number
  /** Candidate pairs the rule compared (pairs sharing a block). */
  comparisons: number
  /** Pairs the rule matched. */
  matches: number
  /** Distinct blocks skipped for exceeding `maxBlockSize`. */
  oversizedBlocks: number
}

/** What matching did: compare `comparisons` with `recordsA × recordsB` to see what blocking saved. */
export interface MatchStats {
  recordsA: number
  recordsB: number
  /** Candidate pairs compared, summed over rules. */
  comparisons: number
  /** Distinct pairs matched by at least one rule, before `minConfidence`. */
  matchedPairs: number
  rules: Record<string, RuleStats>
}

/** A record matched to more than one record on the other side: its duplicates, or a wrong match. */
export interface AmbiguousMatch {
  readonly ref: SystemRef
  readonly side: 'a' | 'b'
  readonly candidates: readonly SystemRef[]
}

/** The result of `matchRecords`. */
export interface MatchOutcome {
  readonly matches: readonly RecordMatch[]
  readonly ambiguous: readonly AmbiguousMatch[]
  readonly stats: MatchStats
}

interface PairEvidence {
  readonly a: number
  readonly b: number
  readonly explanations: MatchExplanation[]
}

interface Keyed {
  readonly record: number
  readonly key: RuleKey
}

const combine = (explanations: readonly MatchExplanation[]): number =>
  round(1 - explanations.reduce((miss, explanation) => miss * (1 - explanation.confidence), 1))

const addPartner = (partners: Map<number, number[]>, record: number, partner: number): void => {
  const list = partners.get(record)
  if (list === undefined) partners.set(record, [partner])
  else list.push(partner)
}

const ambiguousOf = (
  side: 'a' | 'b',
  records: readonly MatchRecord[],
  partners: ReadonlyMap<number, number[]>,
  others: readonly MatchRecord[],
): AmbiguousMatch[] =>
  [...partners]
    .filter(([, list]) => list.length > 1)
    .flatMap(([index, list]) => {
      const ref = records[index]?.ref
      return ref === undefined
        ? []
        : [{ ref, side, candidates: list.flatMap((other) => others[other]?.ref ?? []) }]
    })

/**
 * Matches records of A against records of B by hash join: each rule indexes B by its normalized
 * key, and each record of A is compared only with the records in its blocks, so the work grows with
 * the block sizes, never with |A| × |B|. Every match lists each rule that fired with the values it
 * compared; `ambiguous` lists records matched more than once.
 */
export function matchRecords(
  recordsA: readonly MatchRecord[],
  recordsB: readonly MatchRecord[],
  rules: readonly MatchRule[],
  options: MatchOptions = {},
): MatchOutcome {
  const maxBlockSize = options.maxBlockSize ?? 1_000
  const minConfidence = options.minConfidence ?? 0
  if (!Number.isInteger(maxBlockSize) || maxBlockSize < 1) {
    throw new ConfigError({ message: 'maxBlockSize must be a positive integer', option: 'maxBlockSize' })
  }
  const width = recordsB.length
  const pairs = new Map<number, PairEvidence>()
  const stats: MatchStats = {
    recordsA: recordsA.length,
    recordsB: recordsB.length,
    comparisons: 0,
    matchedPairs: 0,
    rules: {},
  }

  for (const rule of rules) {
    const ruleStats: RuleStats = { keyedA: 0, keyedB: 0, comparisons: 0, matches: 0, oversizedBlocks: 0 }
    stats.rules[rule.name] = ruleStats
    const index = new Map<string, Keyed[]>()
    recordsB.forEach((record, position) => {
      const keys = rule.keys(record)
      if (keys.length > 0) ruleStats.keyedB++
      for (const key of keys) {
        const block = index.get(key.block)
        if (block === undefined) index.set(key.block, [{ record: position, key }])
        else block.push({ record: position, key })
      }
    })
    const oversized = new Set<string>()
    recordsA.forEach((record, position) => {
      const keys = rule.keys(record)
      if (keys.length > 0) ruleStats.keyedA++
      for (const key of keys) {
        const block = index.get(key.block)
        if (block === undefined) continue
        if (block.length > maxBlockSize) {
          oversized.add(key.block)
          continue
        }
        for (const candidate of block) {
          ruleStats.comparisons++
          const verdict = rule.compare ? rule.compare(key, candidate.key) : { confidence: rule.confidence }
          if (verdict === undefined) continue
          const pairKey = position * width + candidate.record
          let evidence = pairs.get(pairKey)
          if (evidence === undefined) {
            evidence = { a: position, b: candidate.record, explanations: [] }
            pairs.set(pairKey, evidence)
          }
          if (evidence.explanations.some((explanation) => explanation.rule === rule.name)) continue
          ruleStats.matches++
          evidence.explanations.push({
            rule: rule.name,
            confidence: verdict.confidence,
            compared: [key.value, candidate.key.value],
            source: [key.source, candidate.key.source],
            ...(verdict.similarity === undefined ? {} : { similarity: verdict.similarity }),
          })
        }
      }
    })
    ruleStats.oversizedBlocks = oversized.size
    stats.comparisons += ruleStats.comparisons
  }

  stats.matchedPairs = pairs.size
  const matches: RecordMatch[] = []
  const partnersOfA = new Map<number, number[]>()
  const partnersOfB = new Map<number, number[]>()
  for (const evidence of pairs.values()) {
    const confidence = combine(evidence.explanations)
    const a = recordsA[evidence.a]?.ref
    const b = recordsB[evidence.b]?.ref
    if (confidence < minConfidence || a === undefined || b === undefined) continue
    matches.push({ a, b, confidence, explanations: evidence.explanations })
    addPartner(partnersOfA, evidence.a, evidence.b)
    addPartner(partnersOfB, evidence.b, evidence.a)
  }
  return {
    matches,
    ambiguous: [
      ...ambiguousOf('a', recordsA, partnersOfA, recordsB),
      ...ambiguousOf('b', recordsB, partnersOfB, recordsA),
    ],
    stats,
  }
}
