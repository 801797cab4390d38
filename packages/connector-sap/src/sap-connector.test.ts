import { AuthError, type Connector, type EntityRecord, NotFoundError } from '@junction/core'
import { afterEach, describe, expect, it } from 'vitest'
import { sap } from './sap-connector.js'
import { type SapSimulator, type SapSimulatorOptions, sapSimulator } from './testing/index.js'

const ORIGIN = 'https://erp.example.com'
const opened: Array<Connector | SapSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

function setUp(options: SapSimulatorOptions = {}, connector: { pageSize?: number; client?: string } = {}) {
  const sim = sapSimulator(options)
  const requests: string[] = []
  const dispatcher = sim.dispatcher.compose((dispatch) => (request, handler) => {
    requests.push(decodeURIComponent(request.path))
    return dispatch(request, handler)
  })
  const erp = sap({
    serviceRoot: `${ORIGIN}${sim.servicePath}`,
    client: '100',
    auth: sim.auth,
    dispatcher,
    ...connector,
  })
  opened.push(erp, sim)
  return { sim, erp, requests }
}

async function collect(iterable: AsyncIterable<EntityRecord>): Promise<EntityRecord[]> {
  const records: EntityRecord[] = []
  for await (const record of iterable) records.push(record)
  return records
}

const partners = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    BusinessPartner: String(1_000_000 + index),
    BusinessPartnerCategory: index % 2 === 0 ? '1' : '2',
    BusinessPartnerFullName: `Partner ${index}`,
  }))

describe('sap connector (in-process simulator)', () => {
  it('gets an entity by key as a plain field map', async () => {
    const { erp } = setUp({ entitySets: { A_BusinessPartner: partners(3) } })

    const record = await erp.get('A_BusinessPartner', '1000001')

    expect(record).toEqual({
      BusinessPartner: '1000001',
      BusinessPartnerCategory: '2',
      BusinessPartnerFullName: 'Partner 1',
    })
  })

  it('gets an entity by a composite key whose value holds a quote', async () => {
    const address = { BusinessPartner: "O'Neil", AddressID: '22', CityName: 'Walldorf' }
    const { erp } = setUp({ entitySets: { A_BusinessPartnerAddress: [address] } })

    expect(await erp.get('A_BusinessPartnerAddress', { BusinessPartner: "O'Neil", AddressID: '22' })).toEqual(
      address,
    )
  })

  it('returns undefined for a key that does not exist', async () => {
    const { erp } = setUp({ entitySets: { A_BusinessPartner: partners(1) } })
    expect(await erp.get('A_BusinessPartner', '9999999')).toBeUndefined()
  })

  it('reads $top windows split into __next pages, in order, none lost or repeated', async () => {
    const { erp, requests } = setUp(
      { entitySets: { A_BusinessPartner: partners(250) }, maxPageSize: 40 },
      { pageSize: 100 },
    )

    const records = await collect(erp.query('A_BusinessPartner', { select: ['BusinessPartner'] }))

    expect(records.map((record) => record.BusinessPartner)).toEqual(
      partners(250).map((partner) => partner.BusinessPartner),
    )
    // Windows of 100 at $skip 0, 100, 200; the server pages each by 40 through $skiptoken.
    expect(requests).toHaveLength(8)
    expect(requests.filter((path) => path.includes('$skiptoken'))).toHaveLength(5)
    expect(requests.every((path) => path.includes('sap-client=100'))).toBe(true)
  })

  it('stops after the limit, asking only for what is left', async () => {
    const { erp, requests } = setUp({ entitySets: { A_BusinessPartner: partners(50) } }, { pageSize: 20 })
    const records = await collect(erp.query('A_BusinessPartner', { limit: 30 }))
    expect(records).toHaveLength(30)
    expect(requests.map((path) => /\$top=(\d+)/.exec(path)?.[1])).toEqual(['20', '10'])
  })

  it('filters by values holding quotes and other hostile text, matching only those', async () => {
    const names = ["O'Neil", "x' or BusinessPartnerCategory ne 'y", "''", 'a&b=c%20d', 'two\nlines']
    const rows = [...names, 'O', 'x'].map((name, index) => ({
      BusinessPartner: String(index),
      BusinessPartnerFullName: name,
    }))
    const { erp } = setUp({ entitySets: { A_BusinessPartner: rows } })

    for (const name of names) {
      const found = await collect(
        erp.query('A_BusinessPartner', { where: { BusinessPartnerFullName: name } }),
      )
      expect(found.map((record) => record.BusinessPartnerFullName)).toEqual([name])
    }
  })

  it('maps a Gateway error body to a typed error with the message class', async () => {
    const { erp } = setUp()
    const error = await collect(erp.query('A_NoSuchSet')).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error).toMatchObject({ systemCode: '/IWBEP/CM_MGW_RT/020', status: 404, system: 'sap' })
  })

  it('refuses a wrong password with an auth error', async () => {
    const sim = sapSimulator({ entitySets: { A_BusinessPartner: partners(1) } })
    const erp = sap({
      serviceRoot: `${ORIGIN}${sim.servicePath}`,
      auth: { type: 'basic', username: 'JUNCTION_SIM', password: 'wrong' },
      dispatcher: sim.dispatcher,
    })
    opened.push(erp, sim)

    await expect(erp.get('A_BusinessPartner', '1000000')).rejects.toBeInstanceOf(AuthError)
  })

  it('is refused for a client the system does not serve', async () => {
    const { erp } = setUp({ entitySets: { A_BusinessPartner: partners(1) } }, { client: '200' })
    await expect(erp.get('A_BusinessPartner', '1000000')).rejects.toMatchObject({ status: 401 })
  })
})

describe('sap connector (loopback server)', () => {
  it('reads by key and by query over a real HTTP server', async () => {
    const sim = sapSimulator({ entitySets: { A_BusinessPartner: partners(7) }, maxPageSize: 3 })
    const server = await sim.listen()
    const erp = sap({
      serviceRoot: `${server.url}${sim.servicePath}`,
      client: '100',
      auth: sim.auth,
      pageSize: 5,
    })
    opened.push(erp, sim)

    const one = await erp.get('A_BusinessPartner', '1000004')
    const persons = await collect(erp.query('A_BusinessPartner', { where: { BusinessPartnerCategory: '1' } }))

    expect(one).toMatchObject({ BusinessPartnerFullName: 'Partner 4' })
    expect(persons.map((record) => record.BusinessPartner)).toEqual([
      '1000000',
      '1000002',
      '1000004',
      '1000006',
    ])
  })
})
