import type { Connector } from '@junction/core'
import { afterEach, describe, expect, it } from 'vitest'
import { sap } from '../sap-connector.js'
import { type SapSimulator, type SapSimulatorOptions, sapSimulator } from './sap-simulator.js'

const opened: Array<Connector | SapSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

type Body = { d: Record<string, unknown> & { results?: Array<Record<string, unknown>>; __next?: string } }

// Raw OData calls through the connector's `request`, to see the wire as a client would.
function service(options: SapSimulatorOptions = {}) {
  const sim = sapSimulator(options)
  const erp = sap({
    serviceRoot: `https://erp.example.com${sim.servicePath}`,
    client: '100',
    auth: sim.auth,
    dispatcher: sim.dispatcher,
  })
  opened.push(erp, sim)
  return (path: string, query: Record<string, string | number> = {}) => erp.request<Body>({ path, query })
}

const partners = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    BusinessPartner: String(100 + index),
    BusinessPartnerCategory: '1',
  }))

describe('sapSimulator', () => {
  it('answers a single entity in the V2 envelope with __metadata and deferred navigation', async () => {
    const read = service({ entitySets: { A_BusinessPartner: partners(1) } })
    const { body, headers } = await read("A_BusinessPartner('100')")
    const uri = "https://erp.example.com/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner('100')"
    expect(body.d.__metadata).toEqual({ id: uri, uri, type: 'API_BUSINESS_PARTNER.A_BusinessPartnerType' })
    expect(body.d.to_Customer).toEqual({ __deferred: { uri: `${uri}/to_Customer` } })
    expect(headers.dataserviceversion).toBe('2.0')
  })

  it('accepts the named form of a key', async () => {
    const read = service({ entitySets: { A_BusinessPartner: partners(1) } })
    const { body } = await read("A_BusinessPartner(BusinessPartner='100')")
    expect(body.d.BusinessPartner).toBe('100')
  })

  it('returns only the $select-ed properties, without navigation links', async () => {
    const read = service({ entitySets: { A_BusinessPartner: partners(1) } })
    const { body } = await read('A_BusinessPartner', { $select: 'BusinessPartner' })
    expect(Object.keys(body.d.results?.[0] ?? {})).toEqual(['__metadata', 'BusinessPartner'])
  })

  it('pages a request without $top at the cap, linking the rest with an absolute __next', async () => {
    const read = service({ entitySets: { A_BusinessPartner: partners(5) }, maxPageSize: 2 })
    const { body } = await read('A_BusinessPartner', { $inlinecount: 'allpages' })
    expect(body.d.__count).toBe('5')
    expect(body.d.results).toHaveLength(2)
    const next = new URL(body.d.__next ?? '')
    expect(next.origin).toBe('https://erp.example.com')
    expect(Object.fromEntries(next.searchParams)).toMatchObject({ $skiptoken: '2', 'sap-client': '100' })
  })

  it('answers a filter it cannot parse with a V2 error body', async () => {
    const read = service({ entitySets: { A_BusinessPartner: partners(1) } })
    const error = await read('A_BusinessPartner', { $filter: "substringof('1',BusinessPartner)" }).catch(
      (caught: unknown) => caught,
    )
    expect(error).toMatchObject({ status: 400, systemCode: '/IWCOR/CX_OD_PARSE_ERROR' })
  })
})
