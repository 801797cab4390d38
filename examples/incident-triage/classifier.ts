import { foldText } from '@junction/core'

/** The assignment groups the model routes to; each must exist in `sys_user_group`. */
export const ASSIGNMENT_GROUPS = [
  'Network',
  'Database',
  'Hardware',
  'Identity and Access',
  'Email and Collaboration',
  'Service Desk',
] as const

/** One of the groups the model routes to. */
export type AssignmentGroup = (typeof ASSIGNMENT_GROUPS)[number]

/** The model's name and version, recorded with every decision (and part of each decision's id). */
export const TRIAGE_MODEL = { name: 'incident-triage-keywords', version: '2026.11.1' } as const

/** Where an incident goes when no group wins clearly: people triage it by hand. */
export const FALLBACK_GROUP: AssignmentGroup = 'Service Desk'

/** Below this confidence the incident goes to the fallback group. */
export const MIN_CONFIDENCE = 0.5

// The model: terms and their weights per group. Changing a weight is a new model version.
const WEIGHTS: Readonly<Record<Exclude<AssignmentGroup, 'Service Desk'>, Readonly<Record<string, number>>>> =
  {
    Network: {
      vpn: 3,
      wifi: 3,
      'wi-fi': 3,
      network: 2,
      dns: 3,
      firewall: 3,
      latency: 2,
      router: 3,
      switch: 1,
    },
    Database: {
      database: 3,
      sql: 3,
      oracle: 3,
      postgres: 3,
      query: 1,
      deadlock: 3,
      tablespace: 3,
      replication: 2,
    },
    Hardware: { laptop: 3, printer: 3, monitor: 2, keyboard: 2, battery: 2, screen: 2, dock: 2, toner: 3 },
    'Identity and Access': {
      password: 3,
      login: 2,
      locked: 3,
      mfa: 3,
      sso: 3,
      account: 1,
      access: 1,
      permission: 2,
    },
    'Email and Collaboration': { email: 3, outlook: 3, mailbox: 3, teams: 2, calendar: 2, 'shared drive': 2 },
  }

/** What the model sees of an incident. */
export interface TriageInput {
  shortDescription: string
  description: string
}

/** What the model decided, and why. */
export interface TriageDecision {
  group: AssignmentGroup
  /** The winning group's share of the evidence, in [0, 1). */
  confidence: number
  /** The terms that counted for the winning group, in the order of the model's term list. */
  matched: string[]
  /** True when no group won clearly and the incident went to the fallback group. */
  fallback: boolean
}

const MODEL = Object.entries(WEIGHTS).map(([group, terms]) => ({
  group: group as AssignmentGroup,
  terms: Object.entries(terms).map(([term, weight]) => ({ term, weight, pattern: wordPattern(term) })),
}))

/**
 * A small deterministic classifier: the weights of the terms found in the short description and
 * description are summed per group; confidence is the winner's sum over all sums plus one (so a lone
 * weak term is not a sure thing). Ties go to the group listed first. Same input, same decision.
 */
export function classifyIncident(input: TriageInput): TriageDecision {
  const text = ` ${foldText(`${input.shortDescription} ${input.description}`)} `
  const scored = MODEL.map(({ group, terms }) => {
    const found = terms.filter(({ pattern }) => pattern.test(text))
    const score = found.reduce((sum, { weight }) => sum + weight, 0)
    return { group, matched: found.map(({ term }) => term), score }
  })
  const total = scored.reduce((sum, entry) => sum + entry.score, 0)
  const best = scored.reduce((winner, entry) => (entry.score > winner.score ? entry : winner))
  const confidence = round(best.score / (total + 1))
  if (best.score === 0 || confidence < MIN_CONFIDENCE) {
    return { group: FALLBACK_GROUP, confidence, matched: best.matched, fallback: true }
  }
  return { group: best.group, confidence, matched: best.matched, fallback: false }
}

// Whole words (and plural -s) only: "dns" must not match inside "dnssec", nor "sso" inside "lesson".
function wordPattern(term: string): RegExp {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`[^a-z0-9]${escaped}s?[^a-z0-9]`)
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
