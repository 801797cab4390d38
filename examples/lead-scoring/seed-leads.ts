import type { FieldDeclaration } from '@junction/connector-salesforce/testing'
import type { EntityRecord } from '@junction/core'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'

/** The Lead fields the example declares in the simulated org: the model's inputs and the score's outputs. */
export const LEAD_FIELDS: Readonly<Record<string, FieldDeclaration>> = {
  Title: {},
  Industry: { type: 'picklist' },
  LeadSource: { type: 'picklist' },
  NumberOfEmployees: { type: 'int' },
  AnnualRevenue: { type: 'currency' },
  /** The key the scoring pipeline upserts on: set when the lead entered the org, unique. */
  ScoreKey__c: { externalId: true },
  Score__c: { type: 'double' },
  ScoreTier__c: { type: 'picklist' },
  ScoreModelVersion__c: {},
  ScoredAt__c: { type: 'datetime' },
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim']
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman']
const TITLES = ['CEO', 'VP Sales', 'Director of IT', 'Operations Manager', 'Analyst', 'Engineer', null]
const INDUSTRIES = ['Technology', 'Finance', 'Healthcare', 'Manufacturing', 'Retail', 'Education', null]
const SOURCES = ['Referral', 'Partner', 'Trade Show', 'Web', 'Cold Call', null]
const FREE_MAIL = ['gmail.com', 'outlook.com']

const pick = <T>(rng: RandomGenerator, items: readonly T[]): T =>
  items[uniformInt(rng, 0, items.length - 1)] as T

/**
 * `count` leads with varied features, the same for the same `rng` seed. Each carries its `ScoreKey__c`
 * (`LS-00001`…), the external id the scores are upserted on.
 */
export function seedLeads(count: number, rng: RandomGenerator): EntityRecord[] {
  return Array.from({ length: count }, (_, index) => {
    const company = `Company ${String(index).padStart(4, '0')}`
    const first = pick(rng, FIRST)
    const last = pick(rng, LAST)
    const domain =
      uniformFloat64(rng) < 0.3 ? pick(rng, FREE_MAIL) : `company${String(index).padStart(4, '0')}.example`
    // Company sizes spread over four orders of magnitude, as a CRM's leads do.
    const employees = Math.round(10 ** (1 + uniformFloat64(rng) * 4))
    return {
      FirstName: first,
      LastName: last,
      Company: company,
      Email: uniformFloat64(rng) < 0.1 ? null : `${first}.${last}@${domain}`.toLowerCase(),
      Status: 'Open - Not Contacted',
      Title: pick(rng, TITLES),
      Industry: pick(rng, INDUSTRIES),
      LeadSource: pick(rng, SOURCES),
      NumberOfEmployees: uniformFloat64(rng) < 0.15 ? null : employees,
      AnnualRevenue: uniformFloat64(rng) < 0.2 ? null : employees * (50_000 + uniformInt(rng, 0, 150_000)),
      ScoreKey__c: `LS-${String(index + 1).padStart(5, '0')}`,
    }
  })
}
