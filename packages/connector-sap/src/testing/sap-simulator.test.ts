import { afterEach, describe, expect, it } from 'vitest'
import { type SapSimulator, type SapSimulatorOptions, sapSimulator } from './sap-simulator.js'

const opened: SapSimulator[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((sim) => sim.close()))
})

// biome-ignore lint/suspicious/noExplicitAny: wire JSON read in assertions
type Json = any

// Raw HTTP against the simulator on loopback, as any client would talk to it.
async function server(options: SapSimulatorOptions = {}) {
  const sim = sapSimulator(options)
  opened.push(sim)
  const { url } = await sim.listen()
  const auth = `Basic ${Buffer.from(`${sim.auth.username}:${sim.auth.password}`).toString('base64')}`
  const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: auth, accept: 'application/json', ...init.headers },
    })
  return { sim, call, url }
}

const BP = '/sap/opu/odata/sap/API_BUSINESS_PARTNER'
const partners = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    BusinessPartner: String(100 + index),
    BusinessPartnerCategory: index % 2 ? '2' : '1',
    BusinessPartnerFullName: `P ${index}`,
  }))

describe('sapSimulator', () => {
  it('serves the V2 entity envelope with __metadata and deferred navigation', async () => {
    const { call, url } = await server({ entitySets: { A_BusinessPartner: partners(1) } })
    const body = (await (await call(`${BP}/A_BusinessPartner('100')`)).json()) as Json
    const uri = `${url}${BP}/A_BusinessPartner('100')`
    expect(body.d.__metadata).toEqual({ id: uri, uri, type: 'API_BUSINESS_PARTNER.A_BusinessPartnerType' })
    expect(body.d.to_Customer).toEqual({ __deferred: { uri: `${uri}/to_Customer` } })
  })

  it('serves $metadata as EDMX with SAP annotations', async () => {
    const { call } = await server()
    const response = await call(`${BP}/$metadata`)
    expect(response.headers.get('content-type')).toBe('application/xml')
    expect(await response.text()).toContain(
      '<EntitySet Name="A_BusinessPartner" EntityType="API_BUSINESS_PARTNER.A_BusinessPartnerType" sap:deletable="false"',
    )
  })

  it('pages at the cap with __count as a string and an absolute __next carrying $skiptoken', async () => {
    const { call, url } = await server({ entitySets: { A_BusinessPartner: partners(5) }, maxPageSize: 2 })
    const body = (await (
      await call(`${BP}/A_BusinessPartner?$inlinecount=allpages&sap-client=100`)
    ).json()) as Json
    expect(body.d.__count).toBe('5')
    expect(body.d.results).toHaveLength(2)
    const next = new URL(body.d.__next)
    expect(next.origin).toBe(url)
    expect(Object.fromEntries(next.searchParams)).toMatchObject({ $skiptoken: '2', 'sap-client': '100' })
  })

  it.each([
    ["BusinessPartnerCategory eq '2' and not (BusinessPartner eq '101')", ['103']],
    [
      "substringof('P 1',BusinessPartnerFullName) eq true or startswith(BusinessPartner,'104')",
      ['101', '104'],
    ],
    ["BusinessPartner ge '102' and BusinessPartner lt '104'", ['102', '103']],
    ["endswith(BusinessPartnerFullName,'3') or BusinessPartner le '100'", ['100', '103']],
  ])('evaluates the $filter %s', async (filter, expected) => {
    const { call } = await server({ entitySets: { A_BusinessPartner: partners(5) } })
    const body = (await (
      await call(`${BP}/A_BusinessPartner?$filter=${encodeURIComponent(filter)}`)
    ).json()) as Json
    expect(body.d.results.map((row: { BusinessPartner: string }) => row.BusinessPartner)).toEqual(expected)
  })

  it('answers a filter it cannot parse with a V2 error body', async () => {
    const { call } = await server()
    const response = await call(
      `${BP}/A_BusinessPartner?$filter=${encodeURIComponent('contains(BusinessPartner,1)')}`,
    )
    expect(response.status).toBe(400)
    expect(((await response.json()) as Json).error).toMatchObject({
      code: '/IWCOR/CX_OD_PARSE_ERROR',
      message: { lang: 'en' },
    })
  })

  it('refuses a write without a CSRF token with 403 x-csrf-token: Required', async () => {
    const { call } = await server()
    const response = await call(`${BP}/A_BusinessPartner`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    })
    expect(response.status).toBe(403)
    expect(response.headers.get('x-csrf-token')).toBe('Required')
  })

  it('accepts a write with the token and session cookie from a GET fetch', async () => {
    const { call } = await server()
    const fetched = await call(`${BP}/`, { headers: { 'x-csrf-token': 'Fetch' } })
    const token = fetched.headers.get('x-csrf-token') as string
    const cookie = fetched.headers
      .getSetCookie()
      .map((item) => item.split(';')[0])
      .join('; ')
    const response = await call(`${BP}/A_BusinessPartner`, {
      method: 'POST',
      body: JSON.stringify({ BusinessPartnerCategory: '1' }),
      headers: { 'content-type': 'application/json', 'x-csrf-token': token, cookie },
    })
    expect(response.status).toBe(201)
    expect(response.headers.get('location')).toMatch(/A_BusinessPartner\('1000000'\)$/)
    expect(JSON.parse(response.headers.get('sap-message') ?? '{}')).toMatchObject({ severity: 'success' })
  })

  it('answers an unknown client and wrong credentials with the logon page', async () => {
    const { call } = await server()
    expect((await call(`${BP}/A_BusinessPartner?sap-client=200`)).status).toBe(401)
    expect((await call(`${BP}/A_BusinessPartner`, { headers: { authorization: 'Basic eDp5' } })).status).toBe(
      401,
    )
  })

  it('accepts a versioned service path (;v=0002)', async () => {
    const { call } = await server({ entitySets: { A_BusinessPartner: partners(1) } })
    expect((await call(`${BP};v=0002/A_BusinessPartner('100')`)).status).toBe(200)
  })

  it('serves /$count as plain text', async () => {
    const { call } = await server({ entitySets: { A_BusinessPartner: partners(3) } })
    expect(await (await call(`${BP}/A_BusinessPartner/$count`)).text()).toBe('3')
  })

  it('refuses to seed a set it does not simulate', () => {
    expect(() => sapSimulator({ entitySets: { A_Nope: [] } })).toThrow(/A_Nope is not simulated/)
  })

  it('issues OAuth2 client-credentials tokens it then accepts', async () => {
    const { call, url } = await server({
      oauth: { clientId: 'app', clientSecret: 's3cret' },
      entitySets: { A_BusinessPartner: partners(1) },
    })
    const token = (await (
      await fetch(`${url}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'app',
          client_secret: 's3cret',
        }),
      })
    ).json()) as Json
    expect(
      (
        await call(`${BP}/A_BusinessPartner('100')`, {
          headers: { authorization: `Bearer ${token.access_token}` },
        })
      ).status,
    ).toBe(200)
  })
})
