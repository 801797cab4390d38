import { defaultMatchRules, type FuzzyNameOptions, fuzzyNameRule, type MatchRule } from '@junction/core'

/**
 * Core's fuzzy name rule, firing only on names that differ (`Müller` / `Mueller`). Core's rule also
 * fires at similarity 1, on the very pairs the name + postcode rule already matched, and the two are
 * then combined as if independent (0.8 and 0.7 → 0.94): the same evidence counted twice.
 */
export function nearNameRule(options: FuzzyNameOptions): MatchRule {
  const fuzzy = fuzzyNameRule(options)
  return {
    ...fuzzy,
    compare(a, b) {
      const verdict = fuzzy.compare?.(a, b)
      return verdict?.similarity === 1 ? undefined : verdict
    },
  }
}

/** Core's deterministic rules, plus the near-name rule unless `fuzzyThreshold` is `false`. */
export function customerMatchRules(fuzzyThreshold: number | false): MatchRule[] {
  const rules = defaultMatchRules()
  return fuzzyThreshold === false ? rules : [...rules, nearNameRule({ threshold: fuzzyThreshold })]
}
