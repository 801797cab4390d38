import { describe, expect, it } from 'vitest'
import { sap } from './sap-connector.js'
import { etagOf } from './sap-responses.js'
import { collect, partners, track } from './test-support/sap-fixture.js'
import { sapSimulator } from './testing/sap-simulator.js'

// The connector over a real socket: undici's own pool, cookies and headers as the wire carries them.
async function overLoopback(
  options: Parameters<typeof sapSimulator>[0] = {},
  service = 'API_BUSINESS_PARTNER',
) {
  const sim = track(sapSimulator(options))
  const { url } = await sim.listen()
  const erp = track(
    sap({
      serviceRoot: `${url}${sim.servicePaths[service]}`,
      client: '100',
      auth: sim.auth,
      pageSize: 100,
      retry: { baseMs: 1, capMs: 5 },
    }),
  )
  return { sim, erp, url }
}

describe('sap connector over a loopback server', () => {
  it('reads every page of a large set', async () => {
    const { erp } = await overLoopback({ entitySets: { A_BusinessPartner: partners(950) }, maxPageSize: 300 })
    const records = await collect(erp.query('A_BusinessPartner', { orderBy: [{ field: 'BusinessPartner' }] }))
    expect(records.map((record) => record.BusinessPartner)).toEqual(
      partners(950).map((partner) => partner.BusinessPartner),
    )
  })

  it('creates and updates with CSRF cookies and ETags over the wire', async () => {
    const { erp, sim } = await overLoopback({}, 'API_SALES_ORDER_SRV')
    const [created] = await erp.create('A_SalesOrder', [{ SalesOrderType: 'OR', TotalNetAmount: '10.000' }])
    const order = await erp.get('A_SalesOrder', created?.id ?? '')
    sim.expireSessions()
    const [updated] = await erp.update('A_SalesOrder', [
      { id: created?.id ?? '', values: { TotalNetAmount: '12.500' }, etag: etagOf(order ?? {}) },
    ])
    expect(updated).toMatchObject({ ok: true })
    expect(sim.service('API_SALES_ORDER_SRV').records('A_SalesOrder')[0]?.TotalNetAmount).toBe('12.500')
  })

  it('retries a read whose connection dropped mid-body', async () => {
    const { erp, sim } = await overLoopback({ entitySets: { A_BusinessPartner: partners(3) } })
    await erp.metadata()
    sim.faults.next({ kind: 'reset-mid-body', match: { path: '*A_BusinessPartner*' } })
    expect(await collect(erp.query('A_BusinessPartner'))).toHaveLength(3)
    expect(sim.faults.count).toBe(1)
  })

  it('authenticates with OAuth2 client credentials through core', async () => {
    const sim = track(
      sapSimulator({
        oauth: { clientId: 'app', clientSecret: 's3cret' },
        entitySets: { A_BusinessPartner: partners(2) },
      }),
    )
    const { url } = await sim.listen()
    const erp = track(
      sap({
        serviceRoot: `${url}${sim.servicePath}`,
        client: '100',
        auth: {
          type: 'oauth2-client-credentials',
          tokenUrl: `${url}/oauth/token`,
          clientId: 'app',
          clientSecret: 's3cret',
        },
      }),
    )
    expect(await collect(erp.query('A_BusinessPartner'))).toHaveLength(2)
    expect(await erp.create('A_BusinessPartner', [{ BusinessPartnerCategory: '1' }])).toMatchObject([
      { ok: true },
    ])
  })

  it('accepts a client certificate in place of auth, and refuses neither', () => {
    const tls = {
      cert: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----',
      key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----',
    }
    expect(() =>
      track(
        sap({
          serviceRoot: 'https://erp.example.com/sap/opu/odata/sap/API_BUSINESS_PARTNER',
          transport: { tls },
        }),
      ),
    ).not.toThrow()
    expect(() =>
      sap({ serviceRoot: 'https://erp.example.com/sap/opu/odata/sap/API_BUSINESS_PARTNER' }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
  })
})
