import { describe, expect, it } from 'vitest'
import { type LeadFeatures, scoreLead } from './lead-model.js'

const strong: LeadFeatures = {
  employees: 5_000,
  annualRevenue: 800_000_000,
  leadSource: 'Referral',
  title: 'VP Sales',
  industry: 'Technology',
  email: 'ada@acme.example',
}
const weak: LeadFeatures = {
  employees: 12,
  annualRevenue: null,
  leadSource: 'Cold Call',
  title: 'Intern',
  industry: 'Education',
  email: 'someone@gmail.com',
}

describe('the lead-score model', () => {
  it('gives the same lead the same score every time', () => {
    expect(scoreLead(strong)).toEqual(scoreLead({ ...strong }))
  })

  it('ranks a senior referral at a large tech firm above a cold call from a free mailbox', () => {
    expect(scoreLead(strong)).toMatchObject({ tier: 'hot' })
    expect(scoreLead(weak)).toMatchObject({ tier: 'cold' })
    expect(scoreLead(strong).score).toBeGreaterThan(scoreLead(weak).score)
  })

  it('scores a lead with no features at all from the bias alone', () => {
    const empty = scoreLead({
      employees: null,
      annualRevenue: null,
      leadSource: null,
      title: null,
      industry: null,
      email: null,
    })
    // sigmoid(-2.2 - 0.3) = 7.6%
    expect(empty.score).toBe(8)
  })

  it('explains a score by its factors, largest first, summing to its logit', () => {
    const { score, factors } = scoreLead(strong)
    const logit = factors.reduce((sum, factor) => sum + factor.contribution, -2.2)

    expect(Math.round(100 / (1 + Math.exp(-logit)))).toBe(score)
    const sizes = factors.map((factor) => Math.abs(factor.contribution))
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a))
  })
})
