import { type Connector, RateLimitError, ValidationError, type WriteResult } from '@junction/core'
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

const EXT = { fields: { Account: { ExtId__c: { externalId: true } } } }

function setUp(options: SalesforceSimulatorOptions = {}, connector: Partial<SalesforceOptions> = {}) {
  const sim = salesforceSimulator({ ...EXT, ...options })
  const calls: string[] = []
  const dispatcher = sim.dispatcher.compose((dispatch) => (request, handler) => {
    if (!request.path.includes('oauth2')) calls.push(`${request.method} ${request.path.split('?')[0]}`)
    return dispatch(request, handler)
  })
  const crm = salesforce({
    auth: sim.auth,
    dispatcher,
    retry: { baseMs: 1 },
    lockRetryDelayMs: 0,
    ...connector,
  })
  opened.push(crm, sim)
  return { sim, crm, calls }
}

const accounts = (count: number, from = 0) =>
  Array.from({ length: count }, (_, index) => ({ Name: `A${from + index}`, ExtId__c: `K-${from + index}` }))

const oks = (results: readonly WriteResult[]) => results.filter((result) => result.ok).length

describe('salesforce writes', () => {
  it('creates many records through Collections, 200 a call, results in input order', async () => {
    const { sim, crm, calls } = setUp()
    const results = await crm.create('Account', accounts(450))
    expect(calls).toEqual(Array(3).fill('POST /services/data/v62.0/composite/sobjects'))
    expect(results.map((result) => result.index)).toEqual([...Array(450).keys()])
    const byId = new Map(sim.org.records('Account').map((record) => [record.Id, record.Name]))
    expect(results.map((result) => byId.get(result.id))).toEqual(accounts(450).map((account) => account.Name))
  })

  it('reports a rejected record of a Collections call with its statusCode, the others written', async () => {
    const { sim, crm } = setUp()
    const results = await crm.create('Account', [{ Name: 'ok' }, { Industry: 'no name' }, { Name: 'ok too' }])
    expect(results.map((result) => result.ok)).toEqual([true, false, true])
    expect(results[1]).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        systemCode: 'REQUIRED_FIELD_MISSING',
        operation: 'create',
        entity: 'Account',
      },
    })
    expect(sim.org.records('Account')).toHaveLength(2)
  })

  it('rolls every record back with allOrNone when one fails', async () => {
    const { sim, crm } = setUp()
    const results = await crm.create('Account', [{ Name: 'a' }, { Industry: 'no name' }], { allOrNone: true })
    expect(results.map((result) => (result.ok ? 'ok' : result.error.systemCode))).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'REQUIRED_FIELD_MISSING',
    ])
    expect(sim.org.records('Account')).toHaveLength(0)
  })

  it('refuses allOrNone over more records than one Collections call holds', async () => {
    const { crm, calls } = setUp()
    await expect(crm.create('Account', accounts(201), { allOrNone: true })).rejects.toBeInstanceOf(
      ValidationError,
    )
    expect(calls).toEqual([])
  })

  it('updates and deletes many records through Collections', async () => {
    const { sim, crm, calls } = setUp({ records: { Account: accounts(250) } })
    const ids = sim.org.records('Account').map((record) => String(record.Id))
    const updated = await crm.update(
      'Account',
      ids.map((id) => ({ id, values: { Industry: 'Energy' } })),
    )
    const deleted = await crm.delete('Account', ids.slice(0, 210))
    expect([oks(updated), oks(deleted)]).toEqual([250, 210])
    expect(sim.org.records('Account').map((record) => record.Industry)).toEqual(Array(40).fill('Energy'))
    expect(calls.filter((call) => call.startsWith('PATCH'))).toHaveLength(2)
    expect(calls.filter((call) => call.startsWith('DELETE'))).toHaveLength(2)
  })

  it('upserts many by external id, telling created from updated', async () => {
    const { crm } = setUp({ records: { Account: accounts(3) } })
    const results = await crm.upsert(
      'Account',
      accounts(5).map((a) => ({ ...a, Industry: 'Retail' })),
      {
        externalId: 'ExtId__c',
      },
    )
    expect(results.map((result) => result.ok && result.created)).toEqual([false, false, false, true, true])
  })

  it('upserts one record with 201 when created and 200 when updated', async () => {
    const { crm } = setUp()
    const [created] = await crm.upsert('Account', [{ Name: 'a', ExtId__c: 'X/1 é' }], {
      externalId: 'ExtId__c',
    })
    const [updated] = await crm.upsert('Account', [{ Name: 'b', ExtId__c: 'X/1 é' }], {
      externalId: 'ExtId__c',
    })
    expect(created).toMatchObject({ ok: true, created: true })
    expect(updated).toMatchObject({ ok: true, created: false, id: created?.id })
  })

  it('reads the empty 204 of an upsert update on API v45 and older', async () => {
    const { crm } = setUp({ records: { Account: accounts(1) } }, { apiVersion: 'v45.0' })
    const [result] = await crm.upsert('Account', [{ Name: 'b', ExtId__c: 'K-0' }], { externalId: 'ExtId__c' })
    expect(result).toEqual({ ok: true, index: 0, id: undefined, created: false })
  })

  it('reports several matching records (300) as a MULTIPLE_CHOICES conflict', async () => {
    const { crm } = setUp({
      records: {
        Account: [
          { Name: 'a', ExtId__c: 'dup' },
          { Name: 'b', ExtId__c: 'DUP' },
        ],
      },
    })
    const [result] = await crm.upsert('Account', [{ Name: 'c', ExtId__c: 'dup' }], { externalId: 'ExtId__c' })
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', systemCode: 'MULTIPLE_CHOICES', status: 300 },
    })
  })

  it('re-sends only the records refused with UNABLE_TO_LOCK_ROW', async () => {
    const { sim, crm, calls } = setUp({ records: { Account: accounts(2) } })
    const ids = sim.org.records('Account').map((record) => String(record.Id))
    sim.faults.next({
      match: { method: 'PATCH', path: '*/composite/sobjects' },
      status: 200,
      body: [
        { id: ids[0], success: true, errors: [] },
        {
          success: false,
          errors: [
            {
              statusCode: 'UNABLE_TO_LOCK_ROW',
              message: 'unable to obtain exclusive access to this record',
              fields: [],
            },
          ],
        },
      ],
    })
    const results = await crm.update(
      'Account',
      ids.map((id) => ({ id, values: { Industry: 'Energy' } })),
    )
    expect(results.map((result) => result.ok)).toEqual([true, true])
    expect(calls.filter((call) => call.startsWith('PATCH'))).toHaveLength(2)
    expect(sim.org.records('Account')[1]?.Industry).toBe('Energy')
  })

  it('retries a single update refused with UNABLE_TO_LOCK_ROW', async () => {
    const { sim, crm } = setUp({ records: { Account: accounts(1) } })
    const id = String(sim.org.records('Account')[0]?.Id)
    sim.faults.next({
      status: 400,
      body: [
        { errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' },
      ],
    })
    const [result] = await crm.update('Account', [{ id, values: { Name: 'renamed' } }])
    expect(result).toMatchObject({ ok: true, id })
    expect(sim.org.records('Account')[0]?.Name).toBe('renamed')
  })

  it('retries a concurrency-limit refusal but not the daily limit', async () => {
    const { sim, crm } = setUp({ records: { Account: accounts(1) } })
    const id = String(sim.org.records('Account')[0]?.Id)
    sim.faults.next({
      status: 403,
      body: [
        {
          errorCode: 'REQUEST_LIMIT_EXCEEDED',
          message: 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.',
        },
      ],
    })
    expect(await crm.get('Account', id)).toMatchObject({ Name: 'A0' })

    sim.faults.next({
      status: 403,
      body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }],
    })
    const error = await crm.get('Account', id).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ retryable: false })
  })

  it('stops calling once Sforce-Limit-Info says the daily allocation is spent', async () => {
    const { sim, crm, calls } = setUp({ records: { Account: accounts(1) }, dailyApiLimit: 100 })
    const id = String(sim.org.records('Account')[0]?.Id)
    sim.org.setApiUsage(99)
    await crm.get('Account', id)
    const before = calls.length
    const error = await crm.get('Account', id).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'RATE_LIMITED' })
    expect(calls.length).toBe(before)
  })

  it('keeps the results of calls that went through when a later Collections call is refused', async () => {
    const { sim, crm } = setUp({}, { collectionConcurrency: 1 })
    sim.faults.next({
      match: { method: 'POST', path: '*/composite/sobjects' },
      times: 1,
      status: 200,
      body: [],
    })
    const results = await crm.create('Account', accounts(3))
    expect(results.every((result) => !result.ok && result.error.code === 'MALFORMED_RESPONSE')).toBe(true)

    sim.org.setApiUsage(sim.org.dailyApiLimit - 1)
    const partial = await crm.create('Account', accounts(450))
    expect(partial.slice(0, 200).every((result) => result.ok)).toBe(true)
    expect(partial.slice(200).every((result) => !result.ok && result.error.code === 'RATE_LIMITED')).toBe(
      true,
    )
  })
})

describe('salesforce composite', () => {
  it('creates dependent records in one call through @{referenceId} references', async () => {
    const { sim, crm, calls } = setUp()
    const answers = await crm.composite([
      { method: 'POST', url: 'sobjects/Account', referenceId: 'newAcct', body: { Name: 'Acme' } },
      {
        method: 'POST',
        url: 'sobjects/Contact',
        referenceId: 'newContact',
        body: { LastName: 'Lee', AccountId: '@{newAcct.id}' },
      },
      {
        method: 'GET',
        url: "query?q=SELECT+Id+FROM+Contact+WHERE+AccountId='@{newAcct.id}'",
        referenceId: 'q1',
      },
    ])
    const accountId = sim.org.records('Account')[0]?.Id
    expect(answers.map((answer) => answer.httpStatusCode)).toEqual([201, 201, 200])
    expect(sim.org.records('Contact')[0]?.AccountId).toBe(accountId)
    expect(answers[2]?.body).toMatchObject({ totalSize: 1 })
    expect(calls).toEqual(['POST /services/data/v62.0/composite'])
  })

  it('rolls back with allOrNone, the others answering PROCESSING_HALTED', async () => {
    const { sim, crm } = setUp()
    const answers = await crm.composite(
      [
        { method: 'POST', url: 'sobjects/Account', referenceId: 'a', body: { Name: 'Acme' } },
        { method: 'POST', url: 'sobjects/Contact', referenceId: 'c', body: { FirstName: 'no last name' } },
      ],
      { allOrNone: true },
    )
    expect(answers.map((answer) => (answer.body as Array<{ errorCode: string }>)[0]?.errorCode)).toEqual([
      'PROCESSING_HALTED',
      'REQUIRED_FIELD_MISSING',
    ])
    expect(sim.org.records('Account')).toHaveLength(0)
  })

  it('refuses more than 25 subrequests before calling', async () => {
    const { crm, calls } = setUp()
    const subrequests = Array.from({ length: 26 }, (_, index) => ({
      method: 'GET' as const,
      url: 'limits',
      referenceId: `r${index}`,
    }))
    await expect(crm.composite(subrequests)).rejects.toBeInstanceOf(ValidationError)
    expect(calls).toEqual([])
  })

  it('runs a portable batch as one Composite call with a result per operation', async () => {
    const { sim, crm, calls } = setUp({ records: { Account: accounts(2) } })
    const [first, second] = sim.org.records('Account').map((record) => String(record.Id))
    const results = await crm.batch([
      { op: 'get', entity: 'Account', id: first as string },
      { op: 'create', entity: 'Account', record: { Name: 'new' } },
      { op: 'update', entity: 'Account', update: { id: second as string, values: { Name: 'renamed' } } },
      { op: 'upsert', entity: 'Account', record: { Name: 'up', ExtId__c: 'K-9' }, externalId: 'ExtId__c' },
      { op: 'delete', entity: 'Account', id: first as string },
      { op: 'create', entity: 'Contact', record: { FirstName: 'no last name' } },
    ])
    expect(results.map((result) => result.ok)).toEqual([true, true, true, true, true, false])
    expect(results[0]?.record).toMatchObject({ Name: 'A0' })
    expect(results[3]).toMatchObject({ created: true })
    expect(results[5]).toMatchObject({ error: { systemCode: 'REQUIRED_FIELD_MISSING' } })
    expect(calls).toEqual(['POST /services/data/v62.0/composite'])
  })
})
