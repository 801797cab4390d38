import type { SystemRef } from './identity-link.js'

/**
 * The fields matching reads from a record of any system (map a system or canonical record onto it).
 * Missing values are common and fine: a rule whose fields are missing or invalid just does not fire.
 */
export interface MatchRecord {
  readonly ref: SystemRef
  readonly email?: string | null | undefined
  readonly phone?: string | null | undefined
  /** A tax or VAT number, with or without its country prefix. */
  readonly taxId?: string | null | undefined
  readonly duns?: string | number | null | undefined
  /** The organisation's (or person's) name. */
  readonly name?: string | null | undefined
  readonly postcode?: string | number | null | undefined
  /** ISO 3166-1 alpha-2: the region for national phone numbers and the prefix for bare tax numbers. */
  readonly country?: string | null | undefined
}

/** Why two records matched under one rule. */
export interface MatchExplanation {
  readonly rule: string
  readonly confidence: number
  /** The normalized values compared, A's then B's. */
  readonly compared: readonly [string, string]
  /** The source values they came from, by field, A's then B's. */
  readonly source: readonly [Readonly<Record<string, string>>, Readonly<Record<string, string>>]
  /** For a fuzzy rule: the similarity (0–1) of the compared values. */
  readonly similarity?: number
}

/** Two records judged the same entity: the combined confidence and one explanation per rule that fired. */
export interface RecordMatch {
  readonly a: SystemRef
  readonly b: SystemRef
  /** The rules' confidences combined as independent evidence: 1 − Π(1 − cᵢ). */
  readonly confidence: number
  readonly explanations: readonly MatchExplanation[]
}
