/** The model's name in audit events and in the `ScoreModelVersion__c` written back. */
export const MODEL_NAME = 'lead-score'

/** Bump it whenever a weight changes: every stored score names the version that produced it. */
export const MODEL_VERSION = '2026.11.1'

/** What the model reads from a lead; every field may be missing in a real org. */
export interface LeadFeatures {
  employees: number | null
  annualRevenue: number | null
  leadSource: string | null
  title: string | null
  industry: string | null
  email: string | null
}

/** One feature's share of the logit, so a score can be explained (and audited) term by term. */
export interface ScoreFactor {
  feature: string
  contribution: number
}

/** A lead's score: a probability-like 0–100, its tier, and the factors behind it, largest first. */
export interface LeadScore {
  score: number
  tier: 'hot' | 'warm' | 'cold'
  factors: ScoreFactor[]
}

// Fixed weights of a logistic model: logit = BIAS + sum of the terms below. They were set by hand to
// rank leads plausibly, not fitted to data; what matters for the example is that they never change
// within a version, so the same lead always gets the same score.
const BIAS = -2.2
const SOURCE_WEIGHTS: Readonly<Record<string, number>> = {
  Referral: 1.2,
  Partner: 0.9,
  'Trade Show': 0.5,
  Web: 0.3,
  'Cold Call': -0.4,
}
const INDUSTRY_WEIGHTS: Readonly<Record<string, number>> = {
  Technology: 0.6,
  Finance: 0.5,
  Healthcare: 0.4,
  Manufacturing: 0.2,
  Retail: 0,
  Education: -0.3,
}
const SENIORITY: ReadonlyArray<[RegExp, number]> = [
  [/\b(chief|ceo|cfo|cto|cio|coo|founder|owner|president)\b/i, 1.1],
  [/\b(vp|vice president|head)\b/i, 0.8],
  [/\bdirector\b/i, 0.5],
  [/\bmanager\b/i, 0.2],
]
const FREE_MAIL = new Set(['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com'])

const round = (value: number, digits: number): number => {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

// Company size and revenue count on a log scale, capped: a 50,000-person firm is not 50 times the lead.
const logScale = (value: number | null, per: number, cap: number): number =>
  value === null || value <= 0 ? 0 : Math.min(Math.log10(value) * per, cap)

/**
 * Scores a lead: `100 * sigmoid(logit)`, rounded to a whole number. Pure and deterministic: no clock, no
 * randomness, no I/O, so a score can be reproduced from the input recorded in the audit trail.
 */
export function scoreLead(features: LeadFeatures): LeadScore {
  const emailDomain = features.email?.split('@')[1]?.toLowerCase()
  const seniority = SENIORITY.find(([pattern]) => pattern.test(features.title ?? ''))?.[1] ?? 0
  const terms: ScoreFactor[] = [
    { feature: 'employees', contribution: logScale(features.employees, 0.35, 1.4) },
    { feature: 'annualRevenue', contribution: logScale(features.annualRevenue, 0.12, 1.0) },
    { feature: 'leadSource', contribution: SOURCE_WEIGHTS[features.leadSource ?? ''] ?? 0 },
    { feature: 'industry', contribution: INDUSTRY_WEIGHTS[features.industry ?? ''] ?? 0 },
    { feature: 'seniority', contribution: seniority },
    {
      feature: 'businessEmail',
      contribution: emailDomain === undefined ? -0.3 : FREE_MAIL.has(emailDomain) ? -0.5 : 0.4,
    },
  ]
  const logit = terms.reduce((sum, term) => sum + term.contribution, BIAS)
  const score = Math.round(100 / (1 + Math.exp(-logit)))
  return {
    score,
    tier: score >= 70 ? 'hot' : score >= 40 ? 'warm' : 'cold',
    factors: terms
      .map((term) => ({ feature: term.feature, contribution: round(term.contribution, 3) }))
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)),
  }
}
