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
