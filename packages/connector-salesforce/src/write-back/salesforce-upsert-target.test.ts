import {
  AuthError,
  approvalGate,
  auditTrail,
  type Connector,
  memoryAudit,
  memoryStore,
  RateLimitError,
  type Transformer,
  transformFailure,
  transformSuccess,
  type WriteResult,
  writeBack,
} from '@junction/core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type SalesforceConnector,
  type SalesforceOptions,
  salesforce,
  salesforceUpsertTarget,
} from '../index.js'
import { type SalesforceSimulator, salesforceSimulator } from '../testing/index.js'

const opened: Array<Connector | SalesforceSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

interface LeadScore {
  leadKey: string
  score: number
}

const leads = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    LastName: `Lead ${index}`,
    Company: `Company ${index}`,
    Lead_Key__c: `L-${index}`,
  }))

const scores = (count: number): LeadScore[] =>
  Array.from({ length: count }, (_, index) => ({ leadKey: `L-${index}`, score: (index * 7) % 100 }))

const created = (result: WriteResult) => (result.ok ? result.created : undefined)

const toLead = (score: LeadScore) => ({ Lead_Key__c: score.leadKey, AI_Score__c: score.score })

function setUp(seeded: number, connector: Partial<SalesforceOptions> = {}) {
  const sim = salesforceSimulator({
    fields: { Lead: { Lead_Key__c: { externalId: true }, AI_Score__c: { type: 'double' } } },
    records: { Lead: leads(seeded) },
  })
  const calls: string[] = []
  const dispatcher = sim.dispatcher.compose((dispatch) => (request, handler) => {
    if (!request.path.includes('oauth2')) calls.push(`${request.method} ${request.path.split('?')[0]}`)
    return dispatch(request, handler)
  })
  const crm = salesforce({
    name: 'crm',
    auth: sim.auth,
    dispatcher,
    retry: false,
    bulk: { pollIntervalMs: 0 },
    ...connector,
  })
  opened.push(crm, sim)
  const scoreOf = () => new Map(sim.org.records('Lead').map((lead) => [lead.Lead_Key__c, lead.AI_Score__c]))
  return { sim, crm, calls, scoreOf }
}

describe('salesforceUpsertTarget', () => {
  it('upserts scores onto existing leads through one Collections call, a result per score in order', async () => {
    const { sim, crm, calls, scoreOf } = setUp(3)
    const target = salesforceUpsertTarget(crm, { sObject: 'Lead', externalId: 'Lead_Key__c', map: toLead })

    const results = await target.write(scores(3), { signal: undefined, correlationId: undefined })

    expect(target.name).toBe('crm')
    expect(calls).toEqual(['PATCH /services/data/v62.0/composite/sobjects/Lead/Lead_Key__c'])
    expect(results.map((result) => [result.index, result.ok, created(result)])).toEqual([
      [0, true, false],
      [1, true, false],
      [2, true, false],
    ])
    expect(results.map((result) => result.id)).toEqual(sim.org.records('Lead').map((lead) => lead.Id))
    expect([...scoreOf().values()]).toEqual([0, 7, 14])
  })

  it('reports a lead Salesforce refuses as failed with its statusCode and writes the others', async () => {
    const { crm, scoreOf } = setUp(2)
    const target = salesforceUpsertTarget(crm, { sObject: 'Lead', externalId: 'Lead_Key__c', map: toLead })
    // No lead has L-404: the upsert would create one, without the LastName and Company a Lead needs.
    const batch = [...scores(2), { leadKey: 'L-404', score: 50 }].reverse()

    const results = await target.write(batch, { signal: undefined, correlationId: undefined })

    expect(results.map((result) => [result.index, result.ok])).toEqual([
      [0, false],
      [1, true],
      [2, true],
    ])
    expect(results[0]).toMatchObject({
      error: { code: 'VALIDATION_FAILED', systemCode: 'REQUIRED_FIELD_MISSING', entity: 'Lead' },
    })
    expect(scoreOf()).toEqual(
      new Map([
        ['L-0', 0],
        ['L-1', 7],
      ]),
    )
  })

  it('fails a result without an external-id value without sending it, and writes the others', async () => {
    const { crm, scoreOf } = setUp(2)
    const target = salesforceUpsertTarget(crm, { sObject: 'Lead', externalId: 'Lead_Key__c', map: toLead })

    const results = await target.write([scores(1)[0] as LeadScore, { leadKey: '', score: 3 }], {
      signal: undefined,
      correlationId: undefined,
    })

    expect(results.map((result) => result.ok)).toEqual([true, false])
    expect(results[1]).toMatchObject({
      index: 1,
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('Lead_Key__c') },
    })
    expect(scoreOf().get('L-0')).toBe(0)
  })

  it('fails a result its transformer refuses, with the issues, without sending it', async () => {
    const { crm, calls } = setUp(1)
    const checked: Transformer<LeadScore, Record<string, unknown>> = {
      name: 'lead-score',
      transform: (score) =>
        score.score >= 0 && score.score <= 100
          ? transformSuccess(toLead(score))
          : transformFailure('out_of_range', 'a score is between 0 and 100'),
    }
    const target = salesforceUpsertTarget(crm, { sObject: 'Lead', externalId: 'Lead_Key__c', map: checked })

    const [result] = await target.write([{ leadKey: 'L-0', score: 140 }], {
      signal: undefined,
      correlationId: undefined,
    })

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: [{ code: 'out_of_range' }] },
    })
    expect(calls).toEqual([])
  })

  it('writes above the bulk threshold through one Bulk API 2.0 job, a result per score in input order', async () => {
    const { crm, calls, scoreOf } = setUp(2500)
    const target = salesforceUpsertTarget(crm, { sObject: 'Lead', externalId: 'Lead_Key__c', map: toLead })
    const batch = scores(2500)
    batch.splice(1234, 0, { leadKey: 'L-NEW', score: 1 })

    const results = await target.write(batch, { signal: undefined, correlationId: undefined })

    expect(calls.some((call) => call.includes('composite'))).toBe(false)
    expect(calls.filter((call) => call === 'POST /services/data/v62.0/jobs/ingest')).toHaveLength(1)
    expect(results.map((result) => result.index)).toEqual([...batch.keys()])
    expect(results.filter((result) => !result.ok).map((result) => result.index)).toEqual([1234])
    expect(results[1234]).toMatchObject({ error: { systemCode: 'REQUIRED_FIELD_MISSING' } })
    expect(results.every((result) => !result.ok || result.created === false)).toBe(true)
    const written = scoreOf()
    expect(batch.every((score, index) => index === 1234 || written.get(score.leadKey) === score.score)).toBe(
      true,
    )
  })

  it('updates instead of duplicating when the same results are written again', async () => {
    const { sim, crm } = setUp(0)
    const target = salesforceUpsertTarget<LeadScore>(crm, {
      sObject: 'Lead',
      externalId: 'Lead_Key__c',
      map: (score) => ({ ...toLead(score), LastName: score.leadKey, Company: 'Scored' }),
    })
    const first = await target.write(scores(3), { signal: undefined, correlationId: undefined })
    const again = await target.write(scores(3), { signal: undefined, correlationId: undefined })

    expect(first.map(created)).toEqual([true, true, true])
    expect(again.map(created)).toEqual([false, false, false])
    expect(again.map((result) => result.id)).toEqual(first.map((result) => result.id))
    expect(sim.org.records('Lead')).toHaveLength(3)
  })

  it('fails every result with the error of a call refused as a whole, without throwing', async () => {
    const { sim } = setUp(2)
    const locked = salesforce({
      auth: {
        type: 'oauth2-client-credentials',
        clientId: sim.oauth.clientId,
        clientSecret: 'not-the-secret',
      },
      dispatcher: sim.dispatcher,
      retry: false,
    })
    opened.push(locked)
    const target = salesforceUpsertTarget(locked, { sObject: 'Lead', externalId: 'Lead_Key__c', map: toLead })

    const results = await target.write(scores(2), { signal: undefined, correlationId: undefined })

    expect(results.map((result) => [result.index, result.ok])).toEqual([
      [0, false],
      [1, false],
    ])
    for (const result of results) expect(result.ok ? result : result.error).toBeInstanceOf(AuthError)
    expect(sim.org.records('Lead').every((lead) => lead.AI_Score__c === undefined)).toBe(true)
  })

  it('fails the sent results with the error an upsert throws, keeping the unsent ones their own', async () => {
    const refusal = new RateLimitError({
      message: 'salesforce: daily API allocation spent',
      system: 'salesforce',
    })
    const throwing = {
      name: 'crm',
      upsert: async () => {
        throw refusal
      },
    } as unknown as SalesforceConnector
    const target = salesforceUpsertTarget(throwing, {
      sObject: 'Lead',
      externalId: 'Lead_Key__c',
      map: toLead,
    })

    const results = await target.write([...scores(1), { leadKey: '', score: 1 }], {
      signal: undefined,
      correlationId: undefined,
    })

    expect(results[0]).toEqual({ ok: false, index: 0, error: refusal })
    expect(results[1]).toMatchObject({ ok: false, index: 1, error: { code: 'VALIDATION_FAILED' } })
  })

  it('writes nothing until a human approves, through core’s approval gate', async () => {
    const { crm, scoreOf } = setUp(2)
    const sink = memoryAudit()
    const gate = approvalGate<LeadScore>({
      store: memoryStore(),
      audit: auditTrail(sink, { actor: { type: 'service', id: 'lead-scoring' } }),
      targets: [salesforceUpsertTarget(crm, { sObject: 'Lead', externalId: 'Lead_Key__c', map: toLead })],
    })
    const pending = await gate.submit({
      records: scores(2),
      requestedBy: 'scoring-job',
      model: { name: 'lead-score', version: '1.0.0' },
    })
    expect([...scoreOf().values()]).toEqual([undefined, undefined])

    const { result } = await gate.approve(pending.id, { by: 'sales-ops@example.com' })

    expect(result.targets).toEqual([expect.objectContaining({ target: 'crm', succeeded: 2, failed: 0 })])
    expect([...scoreOf().values()]).toEqual([0, 7])
    expect(sink.events.map((event) => event.kind)).toEqual(['decision', 'approval'])
  })

  it('reports per target through core’s writeBack, results in input order', async () => {
    const { crm } = setUp(2)
    const result = await writeBack({
      records: [...scores(2), { leadKey: '', score: 0 }],
      targets: [salesforceUpsertTarget(crm, { sObject: 'Lead', externalId: 'Lead_Key__c', map: toLead })],
    })
    expect(result.ok).toBe(false)
    expect(result.targets[0]?.results.map((entry) => [entry.index, entry.ok])).toEqual([
      [0, true],
      [1, true],
      [2, false],
    ])
  })

  it.each([
    ['an sObject that is not an API name', { sObject: 'Lead; DROP', externalId: 'Lead_Key__c' }],
    ['an external id that is not an API name', { sObject: 'Lead', externalId: 'Lead Key' }],
  ])('refuses %s with a ConfigError', (_, options) => {
    const { crm } = setUp(0)
    expect(() => salesforceUpsertTarget(crm, options)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: expect.any(String) }),
    )
  })

  it('makes no call for no results', async () => {
    const { crm, calls } = setUp(1)
    const target = salesforceUpsertTarget(crm, { sObject: 'Lead', externalId: 'Lead_Key__c', map: toLead })
    expect(await target.write([], { signal: undefined, correlationId: undefined })).toEqual([])
    expect(calls).toEqual([])
  })
})
