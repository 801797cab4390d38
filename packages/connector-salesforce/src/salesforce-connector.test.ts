import {
  AuthError,
  ConfigError,
  type Connector,
  type EntityRecord,
  RateLimitError,
  ValidationError,
} from '@junction/core'
import { afterEach, describe, expect, it } from 'vitest'
import { salesforce } from './salesforce-connector.js'
import { type SalesforceSimulator, salesforceSimulator } from './testing/index.js'

const opened: Array<Connector | SalesforceSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

function setUp(options: Parameters<typeof salesforceSimulator>[0] = {}) {
  const sim = salesforceSimulator(options)
  const crm = salesforce({ auth: sim.auth, dispatcher: sim.dispatcher })
  opened.push(crm, sim)
  return { sim, crm }
}

async function collect(iterable: AsyncIterable<EntityRecord>): Promise<EntityRecord[]> {
  const records: EntityRecord[] = []
  for await (const record of iterable) records.push(record)
  return records
}

const accounts = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    Name: `Account ${String(index).padStart(4, '0')}`,
    Industry: 'Banking',
  }))

describe('salesforce connector (in-process simulator)', () => {
  it('logs in on the login host and sends API calls to the instance the token names', async () => {
    const sim = salesforceSimulator({
      records: { Account: accounts(1) },
      instanceUrl: 'https://acme.my.salesforce.com',
    })
    const origins: string[] = []
    const dispatcher = sim.dispatcher.compose((dispatch) => (options, handler) => {
      origins.push(`${String(options.origin)} ${options.method}`)
      return dispatch(options, handler)
    })
    const crm = salesforce({ loginUrl: 'https://login.salesforce.com', auth: sim.auth, dispatcher })
    opened.push(crm, sim)

    await collect(crm.query('Account'))
    await collect(crm.query('Account'))

    expect(origins).toEqual([
      'https://login.salesforce.com POST',
      'https://acme.my.salesforce.com GET',
      'https://acme.my.salesforce.com GET',
    ])
  })

  it('gets a record by id, without the attributes envelope', async () => {
    const { sim, crm } = setUp({ records: { Account: [{ Name: 'Acme', Industry: 'Banking' }] } })
    const [stored] = sim.org.records('Account')

    const record = await crm.get('Account', String(stored?.Id))

    expect(record).toMatchObject({ Id: stored?.Id, Name: 'Acme', Industry: 'Banking', IsDeleted: false })
    expect(record).not.toHaveProperty('attributes')
  })

  it('returns undefined for a record that does not exist', async () => {
    const { crm } = setUp()
    expect(await crm.get('Account', '001000000000000AAA')).toBeUndefined()
  })

  it('rejects an id that is not a record id before calling Salesforce', async () => {
    const { crm } = setUp()
    await expect(crm.get('Account', '../../limits')).rejects.toBeInstanceOf(ValidationError)
  })

  it('reads every record of a multi-page query in order, none lost or repeated', async () => {
    const { sim, crm } = setUp({ records: { Account: accounts(450) } })
    const queryCalls: string[] = []
    const dispatcher = sim.dispatcher.compose((dispatch) => (options, handler) => {
      if (options.path.includes('/query')) queryCalls.push(options.path)
      return dispatch(options, handler)
    })
    const paged = salesforce({ auth: sim.auth, dispatcher })
    opened.push(paged)

    const records = await collect(paged.query('Account', { select: ['Id', 'Name'], pageSize: 200 }))

    expect(records.map((record) => record.Name)).toEqual(accounts(450).map((account) => account.Name))
    expect(new Set(records.map((record) => record.Id)).size).toBe(450)
    expect(queryCalls).toHaveLength(3)
    expect(crm.capabilities.has('query')).toBe(true)
  })

  it('stops after the limit', async () => {
    const { crm } = setUp({ records: { Account: accounts(30) } })
    const records = await collect(crm.query('Account', { select: ['Name'], limit: 5 }))
    expect(records.map((record) => record.Name)).toEqual(accounts(5).map((account) => account.Name))
  })

  it('finds records whose values hold quotes, backslashes and newlines, and only those', async () => {
    const names = ["O'Brien & Sons", "x' OR Name != '", 'C:\\temp\\', "\\' OR Id != '", 'two\nlines']
    const { crm } = setUp({
      records: { Account: [...names.map((Name) => ({ Name })), { Name: 'x' }, { Name: "O'Brien" }] },
    })

    for (const name of names) {
      const found = await collect(crm.query('Account', { select: ['Name'], where: { Name: name } }))
      expect(found).toEqual([{ Name: name }])
    }
  })

  it('binds raw SOQL parameters through the same escaping', async () => {
    const { crm } = setUp({ records: { Account: [{ Name: "it's" }, { Name: 'its' }] } })
    const found = await collect(
      crm.query('Account', {
        raw: { text: 'SELECT Name FROM Account WHERE Name = :name', params: { name: "it's" } },
      }),
    )
    expect(found).toEqual([{ Name: "it's" }])
  })

  it('creates records with a result per record, a rejected one not losing the others', async () => {
    const { sim, crm } = setUp()

    const results = await crm.create('Account', [
      { Name: 'First' },
      { Industry: 'No name' },
      { Name: 'Third' },
    ])

    expect(results.map(({ ok, index }) => ({ ok, index }))).toEqual([
      { ok: true, index: 0 },
      { ok: false, index: 1 },
      { ok: true, index: 2 },
    ])
    const failed = results[1]
    expect(failed?.ok === false && failed.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      systemCode: 'REQUIRED_FIELD_MISSING',
    })
    expect(sim.org.records('Account').map((record) => [record.Id, record.Name])).toEqual([
      [results[0]?.id, 'First'],
      [results[2]?.id, 'Third'],
    ])
  })

  it('maps an error body to a typed error carrying the errorCode', async () => {
    const { crm } = setUp()
    const error = await collect(crm.query('NoSuchObject__c')).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({
      systemCode: 'INVALID_TYPE',
      status: 400,
      system: 'salesforce',
      operation: 'query',
    })
  })

  it('reports the exhausted daily API allocation as a rate-limit error', async () => {
    const { sim, crm } = setUp({ dailyApiLimit: 100 })
    sim.org.setApiUsage(100)
    const error = await crm.get('Account', '001000000000000AAA').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ systemCode: 'REQUEST_LIMIT_EXCEEDED', status: 403 })
  })

  it('renews an expired session once and replays the call', async () => {
    const { sim, crm } = setUp({ records: { Account: [{ Name: 'Acme' }] } })
    const id = String(sim.org.records('Account')[0]?.Id)
    await crm.get('Account', id)
    sim.org.expireSessions()

    expect(await crm.get('Account', id)).toMatchObject({ Name: 'Acme' })
  })

  it('refuses wrong client credentials without leaking the secret', async () => {
    const sim = salesforceSimulator()
    const crm = salesforce({
      auth: {
        type: 'oauth2-client-credentials',
        clientId: 'junction-sim-client',
        clientSecret: 'not-the-secret',
      },
      dispatcher: sim.dispatcher,
    })
    opened.push(crm, sim)

    const error = await crm.get('Account', '001000000000000AAA').catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', systemCode: 'invalid_client' })
    expect(JSON.stringify(error) + String(error)).not.toContain('not-the-secret')
  })

  it('needs instanceUrl when a static bearer token cannot name the instance', () => {
    expect(() => salesforce({ auth: { type: 'bearer', token: '00Dxx!token' } })).toThrow(ConfigError)
  })
})

describe('salesforce connector (loopback server)', () => {
  it('logs in, queries, reads and creates over a real HTTP server', async () => {
    const sim = salesforceSimulator({ records: { Contact: [{ LastName: 'Lee' }, { LastName: "O'Hara" }] } })
    const server = await sim.listen()
    const crm = salesforce({ loginUrl: server.url, auth: sim.auth })
    opened.push(crm, sim)

    const [created] = await crm.create('Contact', [{ LastName: 'New' }])
    const found = await collect(
      crm.query('Contact', { select: ['Id', 'LastName'], where: { LastName: "O'Hara" } }),
    )
    const read = await crm.get('Contact', String(created?.id))

    expect(created).toMatchObject({ ok: true })
    expect(found).toHaveLength(1)
    expect(read).toMatchObject({ Id: created?.id, LastName: 'New' })
  })

  it('loads through Bulk 2.0, reads it back through a Bulk query and follows changes, over sockets', async () => {
    const sim = salesforceSimulator({ fields: { Account: { ExtId__c: { externalId: true } } } })
    const server = await sim.listen()
    const crm = salesforce({ loginUrl: server.url, auth: sim.auth, bulk: { pollIntervalMs: 0 } })
    opened.push(crm, sim)
    const records = Array.from({ length: 2100 }, (_, index) => ({ Name: `L${index}`, ExtId__c: `E${index}` }))

    const written = await crm.upsert('Account', records, { externalId: 'ExtId__c' })
    let read = 0
    for await (const _ of crm.bulkQuery('Account', { select: ['Id', 'Name'] })) read++
    let changed = 0
    for await (const _ of crm.changes('Account')) changed++

    expect(written.every((result) => result.ok && result.created)).toBe(true)
    expect(read).toBe(2100)
    expect(changed).toBe(2100)
  })

  it('retries a query page whose connection dropped mid-body', async () => {
    const sim = salesforceSimulator({ records: { Account: accounts(600) } })
    const server = await sim.listen()
    const crm = salesforce({ loginUrl: server.url, auth: sim.auth, retry: { baseMs: 1 } })
    opened.push(crm, sim)
    sim.faults.next({ match: { path: '*/query/*' }, kind: 'reset-mid-body' })

    const records = await collect(crm.query('Account', { select: ['Name'], pageSize: 200 }))

    expect(records.map((record) => record.Name)).toEqual(accounts(600).map((account) => account.Name))
  })
})
