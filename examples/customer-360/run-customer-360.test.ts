import { randomUUID } from 'node:crypto'
import type { SystemRef } from '@junction/core'
import { requireService } from '@junction/core/testing'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Customer360Report } from './customer-360-report.js'
import { formatReport } from './print-report.js'
import { runCustomer360 } from './run-customer-360.js'
import { COMPANIES } from './seed/companies.js'
import { systemSeeds } from './seed/system-records.js'

const redis = await requireService('redis')
const seeds = systemSeeds()
const refKey = (ref: SystemRef): string => `${ref.system}:${ref.id}`
const truthOf = (key: string): readonly SystemRef[] => seeds.truth.get(key) ?? []

/** The records of each merged customer, as sorted `system:id` lists, sorted. */
const clusters = (report: Customer360Report): string[][] =>
  report.customers
    .map((customer) =>
      Object.entries(customer.ids)
        .map(([system, id]) => `${system}:${id}`)
        .sort(),
    )
    .sort((left, right) => (left[0] ?? '').localeCompare(right[0] ?? ''))

const expectedClusters = [...seeds.truth.values()]
  .map((refs) => refs.map(refKey).sort())
  .sort((left, right) => (left[0] ?? '').localeCompare(right[0] ?? ''))

const customerHolding = (report: Customer360Report, ref: SystemRef) =>
  report.customers.find((customer) => (customer.ids as Record<string, string>)[ref.system] === ref.id)

describe('customer 360 over the memory identity store', () => {
  let report: Customer360Report
  beforeAll(async () => {
    report = await runCustomer360()
  })

  it('reads every seeded record through the three connectors', () => {
    expect(report.read).toEqual({
      salesforce: seeds.accounts.length,
      sap: seeds.businessPartners.length,
      servicenow: seeds.companies.length,
    })
    expect(report.store).toBe('memory')
  })

  it('groups the records into exactly the seeded companies', () => {
    expect(report.customers).toHaveLength(COMPANIES.length)
    expect(clusters(report)).toEqual(expectedClusters)
  })

  it('leaves every record unique to one system on its own, near names and shared postcodes included', () => {
    const unique = COMPANIES.filter((company) => truthOf(company.key).length === 1)
    expect(unique).toHaveLength(12)
    for (const company of unique) {
      const [ref] = truthOf(company.key)
      expect(ref).toBeDefined()
      expect(Object.values(customerHolding(report, ref as SystemRef)?.ids ?? {})).toEqual([ref?.id])
    }
  })

  it("reports Initech's borrowed VAT number as a conflict naming both companies, and merges neither", () => {
    const [initechAccount] = truthOf('initech')
    const globexCompany = truthOf('globex').find((ref) => ref.system === 'servicenow')
    expect(report.conflicts).toHaveLength(1)
    const [conflict] = report.conflicts
    expect(conflict?.kind).toBe('held-by-another-entity')
    expect(conflict?.contested).toEqual(globexCompany)
    expect(conflict?.heldBy?.links.map(refKey)).toContain(refKey(globexCompany as SystemRef))
    expect(conflict?.claimedBy.links.map(refKey)).toContain(refKey(initechAccount as SystemRef))
    expect(conflict?.match.explanations).toEqual([
      expect.objectContaining({ rule: 'tax-id', confidence: 0.98, compared: ['GB987654321', 'GB987654321'] }),
    ])
    expect(conflict?.heldBy?.canonicalId).toBe(
      customerHolding(report, globexCompany as SystemRef)?.canonicalId,
    )
    expect(conflict?.claimedBy.canonicalId).toBe(
      customerHolding(report, initechAccount as SystemRef)?.canonicalId,
    )
  })

  it('explains every link with the rules that fired, their confidences and the values compared', () => {
    const rules = new Set(['tax-id', 'duns', 'email', 'phone', 'name-postcode', 'fuzzy-name'])
    expect(report.links.length).toBeGreaterThan(0)
    for (const link of report.links) {
      expect(link.match.explanations.length).toBeGreaterThan(0)
      for (const explanation of link.match.explanations) {
        expect(rules.has(explanation.rule)).toBe(true)
        expect(explanation.confidence).toBeGreaterThan(0)
        expect(explanation.confidence).toBeLessThanOrEqual(1)
      }
      expect(link.match.confidence).toBeGreaterThanOrEqual(0.6)
    }
  })

  it('links Müller to Mueller by the fuzzy name rule only, with its similarity', () => {
    const [account, partner] = truthOf('mueller')
    const link = report.links.find(
      (candidate) =>
        refKey(candidate.match.a) === refKey(account as SystemRef) &&
        refKey(candidate.match.b) === refKey(partner as SystemRef),
    )
    expect(link?.match.explanations).toEqual([
      expect.objectContaining({ rule: 'fuzzy-name', similarity: 0.95, confidence: 0.665 }),
    ])
  })

  it('refuses the nameless ServiceNow company and links nothing to it', () => {
    expect(report.refused).toEqual([
      { ref: seeds.invalid, issues: [expect.objectContaining({ path: ['name'] })] },
    ])
    expect(customerHolding(report, seeds.invalid)).toBeUndefined()
  })

  it('merges each field from the system that owns it, and says which', () => {
    const [account, partner] = truthOf('acme')
    const acme = customerHolding(report, account as SystemRef)
    expect(acme?.customer).toMatchObject({
      name: 'ACME Corp.',
      legalName: 'Acme Corporation',
      taxId: 'GB123456789',
      phone: '+44 20 7946 0101',
      billingAddress: { street: 'Parliament Street 1', postcode: 'SW1A 1AA', country: 'GB' },
    })
    expect(acme?.sources).toMatchObject({
      name: account,
      legalName: partner,
      taxId: account,
      billingAddress: partner,
    })
    expect(acme?.customer.sourceIds).toEqual(acme?.ids)
  })

  it('prints one line of ids per customer, each link with its rules, and the conflict with both claimants', () => {
    const text = formatReport(report).join('\n')
    expect(text.match(/^ {4}ids: /gm)).toHaveLength(COMPANIES.length)
    expect(text).toContain(
      'fuzzy-name 0.665 [muller maschinenbau | 10115 = mueller maschinenbau | 10115] similarity 0.95',
    )
    expect(text).toMatch(
      /is claimed by Initech Ltd \(.*\) \(match .* on tax-id GB987654321 \(0\.98\)\), but held by Globex Ltd/,
    )
  })

  it('merges the Brightline and Brightside near names once the fuzzy threshold drops to 0.85', async () => {
    const loose = await runCustomer360({ fuzzyThreshold: 0.85 })
    const [brightline] = truthOf('brightline')
    const [brightside] = truthOf('brightside')
    expect(customerHolding(loose, brightline as SystemRef)?.ids).toEqual({
      salesforce: brightline?.id,
      sap: brightside?.id,
    })
  })
})

describe.skipIf(redis.skip)('customer 360 over the Redis identity store', () => {
  const keyPrefix = `junction:test:customer-360:${randomUUID()}:`
  afterAll(async () => {
    const client = new Redis(redis.url)
    try {
      const keys = await client.keys(`${keyPrefix}*`)
      if (keys.length > 0) await client.del(...keys)
    } finally {
      client.disconnect()
    }
  })

  it('finds the same customers and conflict, and a rerun on the kept links changes none', async () => {
    const first = await runCustomer360({ redisUrl: redis.url, keyPrefix })
    expect(first.store).toBe('redis')
    expect(clusters(first)).toEqual(expectedClusters)
    expect(first.conflicts).toHaveLength(1)
    expect(first.stats.linkChanges).toBeGreaterThan(0)

    const again = await runCustomer360({ redisUrl: redis.url, keyPrefix })
    expect(clusters(again)).toEqual(expectedClusters)
    expect(again.stats.linkChanges).toBe(0)
    expect(again.links.every((link) => link.outcome === 'confirmed')).toBe(true)
    expect(again.conflicts.map((conflict) => refKey(conflict.contested))).toEqual(
      first.conflicts.map((conflict) => refKey(conflict.contested)),
    )
  })
})
