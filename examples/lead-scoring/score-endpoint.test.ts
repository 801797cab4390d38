import { salesforce } from '@junction/connector-salesforce'
import { salesforceSimulator } from '@junction/connector-salesforce/testing'
import { memoryCache, toSalesforceId18 } from '@junction/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type ScoreEndpoint, startScoreEndpoint } from './score-endpoint.js'
import { LEAD_FIELDS } from './seed-leads.js'

describe('GET /leads/:id/score', () => {
  let sim: ReturnType<typeof salesforceSimulator>
  let endpoint: ScoreEndpoint
  let close: () => Promise<void>
  let job: ReturnType<typeof salesforce>
  let scored: string
  let unscored: string

  beforeEach(async () => {
    sim = salesforceSimulator({
      records: {
        Lead: [
          {
            LastName: 'Hopper',
            Company: 'Navy',
            ScoreKey__c: 'LS-1',
            Score__c: 55,
            ScoreTier__c: 'warm',
            ScoreModelVersion__c: '2026.11.1',
            ScoredAt__c: '2026-11-24T10:00:00.000+0000',
          },
          { LastName: 'Turing', Company: 'NPL', ScoreKey__c: 'LS-2' },
        ],
      },
      fields: { Lead: LEAD_FIELDS },
    })
    ;[scored, unscored] = sim.org.records('Lead').map((lead) => String(lead.Id)) as [string, string]
    const cache = { store: memoryCache(), ttlMs: 60_000 }
    job = salesforce({ name: 'crm', auth: sim.auth, dispatcher: sim.dispatcher, cache })
    const serving = salesforce({ name: 'crm', auth: sim.auth, dispatcher: sim.dispatcher, cache })
    endpoint = await startScoreEndpoint(serving, { ttlMs: 60_000 })
    close = async () => {
      await endpoint.close()
      await serving.close()
      await job.close()
      await cache.store.close()
      await sim.close()
    }
  })
  afterEach(() => close())

  const get = async (path: string, method = 'GET') => {
    const response = await fetch(`${endpoint.url}${path}`, { method })
    const body = (await response.json()) as Record<string, unknown>
    return { status: response.status, cache: response.headers.get('x-cache'), body }
  }

  it('answers the stored score, from Salesforce first and from the cache after', async () => {
    const first = await get(`/leads/${scored}/score`)
    const second = await get(`/leads/${scored}/score`)

    expect(first).toEqual({
      status: 200,
      cache: 'miss',
      body: {
        id: scored,
        score: 55,
        tier: 'warm',
        modelVersion: '2026.11.1',
        scoredAt: '2026-11-24T10:00:00.000+0000',
      },
    })
    expect(second).toEqual({ ...first, cache: 'hit' })
  })

  it('serves a 15-character id from the same cache entry as its 18-character form', async () => {
    await get(`/leads/${scored}/score`)
    const short = await get(`/leads/${scored.slice(0, 15)}/score`)

    expect(short.cache).toBe('hit')
    expect(short.body.id).toBe(scored)
  })

  it('reads Salesforce again after the lead is upserted through a connector on the same cache', async () => {
    await get(`/leads/${scored}/score`)
    const [result] = await job.upsert('Lead', [{ ScoreKey__c: 'LS-1', Score__c: 91, ScoreTier__c: 'hot' }], {
      externalId: 'ScoreKey__c',
    })
    const after = await get(`/leads/${scored}/score`)

    expect(result).toMatchObject({ ok: true, id: scored, created: false })
    expect(after).toMatchObject({ status: 200, cache: 'miss', body: { score: 91, tier: 'hot' } })
  })

  it('answers 404 NOT_SCORED for a lead without a score', async () => {
    expect(await get(`/leads/${unscored}/score`)).toEqual({
      status: 404,
      cache: 'miss',
      body: { error: { code: 'NOT_SCORED', id: unscored } },
    })
  })

  it('answers 404 NOT_FOUND for a well-formed id the org does not have', async () => {
    const missing = toSalesforceId18('00Q000000000999') as string

    const answer = await get(`/leads/${missing}/score`)

    expect(answer).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', id: missing } } })
  })

  it('answers 400 for an id that is not a Salesforce id, without calling Salesforce', async () => {
    const before = sim.org.apiUsed

    expect(await get('/leads/not-an-id/score')).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_ID' } },
    })
    expect(sim.org.apiUsed).toBe(before)
  })

  it('answers 405 to other methods and 404 to other paths', async () => {
    expect((await get(`/leads/${scored}/score`, 'DELETE')).status).toBe(405)
    expect((await get('/accounts')).status).toBe(404)
  })
})
