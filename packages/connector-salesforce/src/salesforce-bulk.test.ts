import type { Connector, EntityRecord } from '@junction/core'
import { afterEach, describe, expect, it } from 'vitest'
import { type SalesforceOptions, salesforce } from './index.js'
import {
  type SalesforceSimulator,
  type SalesforceSimulatorOptions,
  salesforceSimulator,
} from './testing/index.js'

const opened: Array<Connector | SalesforceSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

function setUp(options: SalesforceSimulatorOptions = {}, connector: Partial<SalesforceOptions> = {}) {
  const sim = salesforceSimulator({ fields: { Account: { ExtId__c: { externalId: true } } }, ...options })
  const calls: string[] = []
  const dispatcher = sim.dispatcher.compose((dispatch) => (request, handler) => {
    if (!request.path.includes('oauth2')) calls.push(`${request.method} ${request.path.split('?')[0]}`)
    return dispatch(request, handler)
  })
  const crm = salesforce({ auth: sim.auth, dispatcher, bulk: { pollIntervalMs: 0 }, ...connector })
  opened.push(crm, sim)
  return { sim, crm, calls }
}

const accounts = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    Name: `A${index}, "quoted"\nline`,
    ExtId__c: `K-${index}`,
    NumberOfEmployees: index,
  }))

describe('salesforce Bulk API 2.0', () => {
  it('loads writes above the threshold through one ingest job, results per record in order', async () => {
    const { sim, crm, calls } = setUp()
    const records: EntityRecord[] = accounts(2500)
    records[7] = { Industry: 'no name', ExtId__c: 'K-7' }

    const results = await crm.create('Account', records)

    expect(calls.filter((call) => call.includes('/jobs/ingest')).length).toBeLessThanOrEqual(8)
    expect(calls.some((call) => call.includes('composite'))).toBe(false)
    expect(results.map((result) => result.index)).toEqual([...Array(2500).keys()])
    expect(results[7]).toMatchObject({ ok: false, error: { systemCode: 'REQUIRED_FIELD_MISSING' } })
    const names = new Map(sim.org.records('Account').map((record) => [record.Id, record.Name]))
    expect(
      results
        .filter((result) => result.ok)
        .every((result) => names.get(result.id) === records[result.index]?.Name),
    ).toBe(true)
    expect(names.size).toBe(2499)
  })

  it('writes null as #N/A and leaves absent fields unchanged', async () => {
    const { sim, crm } = setUp({
      records: { Account: accounts(3000).map((a) => ({ ...a, Industry: 'Energy' })) },
    })
    const updates = sim.org.records('Account').map((record, index) => ({
      id: String(record.Id),
      values: index === 0 ? { Industry: null } : { Description: 'seen' },
    }))
    const results = await crm.update('Account', updates)
    expect(results.every((result) => result.ok)).toBe(true)
    const [first, second] = sim.org.records('Account')
    expect(first).toMatchObject({ Industry: null })
    expect(second).toMatchObject({ Industry: 'Energy', Description: 'seen' })
  })

  it('upserts through Bulk and reports sf__Created', async () => {
    const { crm } = setUp({ records: { Account: accounts(1000) } })
    const results = await crm.upsert('Account', accounts(2500), { externalId: 'ExtId__c' })
    expect(results.filter((result) => result.ok && result.created === false)).toHaveLength(1000)
    expect(results.filter((result) => result.ok && result.created === true)).toHaveLength(1500)
  })

  it('uses Collections above the threshold when Bulk is turned off', async () => {
    const { crm, calls } = setUp({}, { bulkThreshold: false })
    await crm.create('Account', accounts(2100))
    expect(calls.filter((call) => call.includes('composite/sobjects'))).toHaveLength(11)
  })

  it('streams a Bulk query page by page through the locator', async () => {
    const { crm, calls } = setUp(
      { records: { Account: accounts(2500) }, bulk: { defaultMaxRecords: 100_000 } },
      { bulk: { pollIntervalMs: 0, maxRecordsPerPage: 1000 } },
    )
    const seen: EntityRecord[] = []
    for await (const record of crm.bulkQuery('Account', {
      select: ['Id', 'Name', 'NumberOfEmployees', 'Industry'],
    })) {
      seen.push(record)
    }
    expect(seen).toHaveLength(2500)
    expect(seen[3]).toMatchObject({ Name: 'A3, "quoted"\nline', NumberOfEmployees: '3', Industry: null })
    expect(calls.filter((call) => call.endsWith('/results'))).toHaveLength(3)
    expect(calls.at(-1)).toMatch(/^DELETE .*\/jobs\/query\//)
  })

  it('nests parent fields of a Bulk query as REST answers do', async () => {
    const sim = salesforceSimulator({ records: { Account: [{ Name: 'Parent' }] } })
    sim.org.insert('Contact', { LastName: 'Lee', AccountId: sim.org.records('Account')[0]?.Id })
    const crm = salesforce({ auth: sim.auth, dispatcher: sim.dispatcher, bulk: { pollIntervalMs: 0 } })
    opened.push(crm, sim)
    const rows: EntityRecord[] = []
    for await (const row of crm.bulkQuery('Contact', { select: ['LastName', 'Account.Name'] })) rows.push(row)
    expect(rows).toEqual([{ LastName: 'Lee', Account: { Name: 'Parent' } }])
  })

  it('gives up polling after pollTimeoutMs with a timeout naming the job', async () => {
    const { crm } = setUp(
      { records: { Account: accounts(1) }, bulk: { pollsUntilComplete: 1_000_000 } },
      { bulk: { pollIntervalMs: 5, pollTimeoutMs: 20 } },
    )
    const error = await (async () => {
      for await (const _ of crm.bulkQuery('Account')) break
    })().catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: false, details: { state: 'InProgress' } })
  })

  it('deletes above the threshold through a Bulk job with only the Id column', async () => {
    const { sim, crm, calls } = setUp({ records: { Account: accounts(2100) } })
    const ids = sim.org.records('Account').map((record) => String(record.Id))
    const results = await crm.delete('Account', ids)
    expect(results.every((result, index) => result.ok && result.id === ids[index])).toBe(true)
    expect(sim.org.records('Account')).toHaveLength(0)
    expect(calls.some((call) => call.includes('composite'))).toBe(false)
  })

  it('fails every record of a job that ends Failed, naming the job', async () => {
    const { sim, crm } = setUp()
    sim.faults.next({
      match: { method: 'GET', path: /\/jobs\/ingest\/[^/]+$/ },
      status: 200,
      body: {
        id: '750000000000000AAA',
        state: 'Failed',
        errorMessage: 'InvalidBatch : Field name not found',
      },
    })
    const results = await crm.bulkIngest('Account', 'insert', accounts(3))
    expect(results.map((result) => (result.ok ? 'ok' : result.error.systemCode))).toEqual([
      'Failed',
      'Failed',
      'Failed',
    ])
    expect(results[0]).toMatchObject({ error: { message: expect.stringContaining('InvalidBatch') } })
  })
})
