import { afterEach, describe, expect, it } from 'vitest'
import {
  type SalesforceSimulator,
  type SalesforceSimulatorOptions,
  salesforceSimulator,
} from './salesforce-simulator.js'

const opened: SalesforceSimulator[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((sim) => sim.close()))
})

// The wire as any HTTP client sees it: plain fetch against the loopback server.
async function org(options: SalesforceSimulatorOptions = {}) {
  const sim = salesforceSimulator(options)
  opened.push(sim)
  const { url } = await sim.listen()
  const token = (secret = 'junction-sim-secret') =>
    fetch(`${url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'junction-sim-client',
        client_secret: secret,
      }),
    })
  const session = async () => ((await (await token()).json()) as { access_token: string }).access_token
  const api = async (path: string, init: RequestInit & { bearer?: string } = {}) =>
    fetch(`${url}/services/data/v62.0/${path}`, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        authorization: `Bearer ${init.bearer ?? (await session())}`,
      },
    })
  return { sim, url, token, api }
}

const soql = (text: string) => `query?q=${encodeURIComponent(text)}`
const accounts = (count: number) => Array.from({ length: count }, (_, index) => ({ Name: `A${index}` }))

describe('salesforceSimulator', () => {
  it('answers the client credentials grant as the sheet shows: instance_url, issued_at in ms, no expires_in', async () => {
    const { url, token } = await org()
    const body = (await (await token()).json()) as Record<string, unknown>
    expect(body).toMatchObject({ instance_url: url, token_type: 'Bearer', scope: 'api' })
    expect(body.issued_at).toMatch(/^\d{13}$/)
    expect(body.access_token).toMatch(/^00D\w{12}!/)
    expect(body).not.toHaveProperty('expires_in')
  })

  it('refuses a wrong secret with the OAuth error object', async () => {
    const { token } = await org()
    const response = await token('wrong')
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    })
  })

  it('refuses an unknown token with 401 INVALID_SESSION_ID', async () => {
    const { api } = await org()
    const response = await api('sobjects/Account/001000000000000AAA', { bearer: '00Dbogus!token' })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ])
  })

  it('reports API usage in Sforce-Limit-Info and refuses calls past the daily limit', async () => {
    const { sim, api } = await org({ dailyApiLimit: 10 })
    expect((await api(soql('SELECT Id FROM Account'))).headers.get('sforce-limit-info')).toBe(
      'api-usage=1/10',
    )
    sim.org.setApiUsage(10)
    const refused = await api(soql('SELECT Id FROM Account'))
    expect(refused.status).toBe(403)
    expect(await refused.json()).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ])
  })

  it('pages queries by the batch size asked for, clamped to at least 200', async () => {
    const { api } = await org({ records: { Account: accounts(450) } })
    const first = (await (
      await api(soql('SELECT Id, Name FROM Account'), { headers: { 'sforce-query-options': 'batchSize=50' } })
    ).json()) as { totalSize: number; done: boolean; nextRecordsUrl: string; records: unknown[] }
    expect(first).toMatchObject({ totalSize: 450, done: false })
    expect(first.records).toHaveLength(200)
    expect(first.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g\w+-200$/)
  })

  it('answers 2000 records a page by default, with done and no link on the last page', async () => {
    const { api } = await org({ records: { Account: accounts(3) } })
    const page = (await (await api(soql('SELECT Name FROM Account'))).json()) as Record<string, unknown>
    expect(page).toMatchObject({ totalSize: 3, done: true })
    expect(page).not.toHaveProperty('nextRecordsUrl')
  })

  it('rejects an escape SOQL does not allow with MALFORMED_QUERY', async () => {
    const { api } = await org()
    const response = await api(soql("SELECT Id FROM Account WHERE Name = 'a\\qb'"))
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject([{ errorCode: 'MALFORMED_QUERY' }])
  })

  it('refuses a create that names the Id field', async () => {
    const { api } = await org()
    const response = await api('sobjects/Account', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Id: '001000000000000AAA', Name: 'x' }),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject([{ errorCode: 'INVALID_FIELD' }])
  })
})

describe('salesforceSimulator SOQL subset', () => {
  const seeded = {
    records: {
      Account: [
        { Name: 'Acme', NumberOfEmployees: 10, Industry: 'Banking' },
        { Name: 'Globex', NumberOfEmployees: 20, Industry: null },
        { Name: 'Initech', NumberOfEmployees: 30, Industry: 'Energy' },
        { Name: 'Umbrella', NumberOfEmployees: 40, Industry: 'Energy' },
      ],
    },
  }
  const names = async (api: Awaited<ReturnType<typeof org>>['api'], text: string) => {
    const body = (await (await api(soql(text))).json()) as { records: Array<{ Name: string }> }
    return body.records.map((record) => record.Name)
  }

  it('binds AND tighter than OR, and honours NOT and parentheses', async () => {
    const { api } = await org(seeded)
    expect(
      await names(
        api,
        "SELECT Name FROM Account WHERE Name = 'Acme' OR NumberOfEmployees > 25 AND Industry = 'Energy' ORDER BY Name",
      ),
    ).toEqual(['Acme', 'Initech', 'Umbrella'])
    expect(
      await names(
        api,
        "SELECT Name FROM Account WHERE NOT (Industry = 'Energy' OR Industry = null) ORDER BY Name",
      ),
    ).toEqual(['Acme'])
  })

  it('orders descending with nulls last, then applies OFFSET and LIMIT', async () => {
    const { api } = await org(seeded)
    expect(
      await names(api, 'SELECT Name FROM Account ORDER BY Industry DESC, Name LIMIT 2 OFFSET 1'),
    ).toEqual(['Umbrella', 'Acme'])
  })

  it('answers SELECT COUNT() with totalSize and no records', async () => {
    const { api } = await org(seeded)
    const body = await (
      await api(soql("SELECT COUNT() FROM Account WHERE Industry IN ('Energy', 'Retail')"))
    ).json()
    expect(body).toEqual({ totalSize: 2, done: true, records: [] })
  })

  it('points MALFORMED_QUERY at the row and column of the unexpected token', async () => {
    const { api } = await org(seeded)
    const response = await api(soql('SELECT Id FROM Account WHERE Name LIKE 5'))
    const [error] = (await response.json()) as Array<{ errorCode: string; message: string }>
    expect(response.status).toBe(400)
    expect(error?.errorCode).toBe('MALFORMED_QUERY')
    expect(error?.message).toContain('ERROR at Row:1:Column:40')
  })

  it('answers an unknown sObject with INVALID_TYPE', async () => {
    const { api } = await org(seeded)
    const response = await api(soql('SELECT Id FROM Nope__c'))
    expect(await response.json()).toMatchObject([{ errorCode: 'INVALID_TYPE' }])
  })
})

describe('salesforceSimulator writes on the wire', () => {
  const json = (method: string, value: unknown) => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  })

  it('answers an upsert matching several records with 300 and their URLs', async () => {
    const { api } = await org({
      records: {
        Account: [
          { Name: 'a', ExtId__c: 'K' },
          { Name: 'b', ExtId__c: 'k' },
        ],
      },
      fields: { Account: { ExtId__c: { externalId: true } } },
    })
    const response = await api('sobjects/Account/ExtId__c/K', json('PATCH', { Name: 'c' }))
    expect(response.status).toBe(300)
    expect(await response.json()).toEqual([
      expect.stringMatching(/^\/services\/data\/v62\.0\/sobjects\/Account\/001/),
      expect.stringMatching(/^\/services\/data\/v62\.0\/sobjects\/Account\/001/),
    ])
  })

  it('refuses more than 200 records in one Collections call', async () => {
    const { api } = await org()
    const records = accounts(201).map((record) => ({ attributes: { type: 'Account' }, ...record }))
    const response = await api('composite/sobjects', json('POST', { allOrNone: false, records }))
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject([{ errorCode: 'EXCEEDED_ID_LIMIT' }])
  })

  it('answers update and delete with 204 and then 404 ENTITY_IS_DELETED for the deleted record', async () => {
    const { sim, api } = await org({ records: { Account: accounts(1) } })
    const id = String(sim.org.records('Account')[0]?.Id)
    expect((await api(`sobjects/Account/${id}`, json('PATCH', { Name: 'x' }))).status).toBe(204)
    expect((await api(`sobjects/Account/${id}`, { method: 'DELETE' })).status).toBe(204)
    const gone = await api(`sobjects/Account/${id}`)
    expect(gone.status).toBe(404)
    expect(await gone.json()).toMatchObject([{ errorCode: 'ENTITY_IS_DELETED' }])
  })

  it('serves Bulk query results as CSV with the locator null on the last page', async () => {
    const { api } = await org({ records: { Account: accounts(3) }, bulk: { pollsUntilComplete: 0 } })
    const job = (await (
      await api('jobs/query', json('POST', { operation: 'query', query: 'SELECT Name FROM Account' }))
    ).json()) as { id: string }
    expect(await (await api(`jobs/query/${job.id}`)).json()).toMatchObject({ state: 'JobComplete' })
    const first = await api(`jobs/query/${job.id}/results?maxRecords=2`)
    expect(await first.text()).toBe('Name\nA0\nA1\n')
    const locator = first.headers.get('sforce-locator')
    const last = await api(`jobs/query/${job.id}/results?maxRecords=2&locator=${locator}`)
    expect(last.headers.get('sforce-locator')).toBe('null')
    expect(await last.text()).toBe('Name\nA2\n')
  })
})
