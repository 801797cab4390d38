import type { MatchRecord } from './match-record.js'

/** A rule's key for one record: records sharing a `block` are compared, never others. */
export interface RuleKey {
  /** The blocking key: the hash-join key the other side is indexed by. */
  readonly block: string
  /** The normalized value the rule compares (shown in explanations). */
  readonly value: string
  /** The source fields the key came from. */
  readonly source: Readonly<Record<string, string>>
}

/** The verdict of a rule on a candidate pair. */
export interface RuleVerdict {
  readonly confidence: number
  readonly similarity?: number
}

/**
 * A match rule: it keys each record (normalizing its fields) and judges candidate pairs that share a
 * key. Without `compare` a shared key is the match (a deterministic rule) at `confidence`.
 */
export interface MatchRule {
  readonly name: string
  /** The confidence of a deterministic match; a fuzzy rule's upper bound. */
  readonly confidence: number
  /** The keys of `record`; none when its fields are missing or invalid. */
  keys(record: MatchRecord): readonly RuleKey[]
  /** Judges a pair that shares a block; `undefined` means no match. */
  compare?(a: RuleKey, b: RuleKey): RuleVerdict | undefined
}
