import { defaultMatchRules, type MatchRule } from '@junction/core'

/** Core's deterministic rules, plus its fuzzy name rule at `fuzzyThreshold` unless that is `false`. */
export function customerMatchRules(fuzzyThreshold: number | false): MatchRule[] {
  return defaultMatchRules(fuzzyThreshold === false ? {} : { fuzzy: { threshold: fuzzyThreshold } })
}
