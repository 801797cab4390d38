import { describe, expect, it } from 'vitest'
import { etagOf } from './sap-responses.js'
import { collect, partners, setUp } from './test-support/sap-fixture.js'

describe('sap reads (V2, in-process simulator)', () => {
  it('gets an entity by key as typed fields', async () => {
    const { erp } = setUp({
      entitySets: {
        A_BusinessPartner: [
          { ...partners(1)[0], CreationDate: '/Date(1705276800000)/', LastChangeTime: 'PT13H20M05S' },
        ],
      },
    })
    const record = await erp.get('A_BusinessPartner', '1000000')
    expect(record).toMatchObject({
      BusinessPartner: '1000000',
      CreationDate: new Date('2024-01-15T00:00:00Z'),
      LastChangeTime: '13:20:05',
    })
  })

  it('returns undefined for a key that does not exist', async () => {
    const { erp } = setUp({ entitySets: { A_BusinessPartner: partners(1) } })
    expect(await erp.get('A_BusinessPartner', '9999999')).toBeUndefined()
  })

  it('gets by a composite key whose value holds a quote', async () => {
    const address = { BusinessPartner: "O'Neil", AddressID: '22', CityName: 'Walldorf' }
    const { erp, requests } = setUp({ entitySets: { A_BusinessPartnerAddress: [address] } })
    expect(
      await erp.get('A_BusinessPartnerAddress', { BusinessPartner: "O'Neil", AddressID: '22' }),
    ).toMatchObject(address)
    expect(requests.at(-1)).toContain("A_BusinessPartnerAddress(BusinessPartner='O''Neil',AddressID='22')")
  })

  it('refuses a single key for a composite-key set before calling', async () => {
    const { erp } = setUp()
    await expect(erp.get('A_BusinessPartnerAddress', '1')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })

  it('keeps Edm.Decimal and Edm.Int64 exact as text', async () => {
    const { erp } = setUp(
      {
        entitySets: {
          A_Product: [
            { Product: 'FG-1', GrossWeight: '12345678901234.567', SerialNumberCount: '9007199254740993' },
          ],
        },
      },
      { service: 'API_PRODUCT_SRV' },
    )
    expect(await erp.get('A_Product', 'FG-1')).toMatchObject({
      GrossWeight: '12345678901234.567',
      SerialNumberCount: '9007199254740993',
    })
  })

  it('reads the 9999-12-31 sentinel as null by default and keeps it when asked', async () => {
    const seed = { entitySets: { A_Product: [{ Product: 'FG-1', CreationDate: '/Date(253402214400000)/' }] } }
    const { erp } = setUp(seed, { service: 'API_PRODUCT_SRV' })
    expect((await erp.get('A_Product', 'FG-1'))?.CreationDate).toBeNull()
    const kept = setUp(seed, { service: 'API_PRODUCT_SRV', openEnd: 'keep' })
    expect((await kept.erp.get('A_Product', 'FG-1'))?.CreationDate).toEqual(new Date('9999-12-31T00:00:00Z'))
  })

  it('always sends $top and follows __next within a window, none lost or repeated', async () => {
    const { erp, requests } = setUp(
      { entitySets: { A_BusinessPartner: partners(250) }, maxPageSize: 40 },
      { pageSize: 100 },
    )
    const records = await collect(erp.query('A_BusinessPartner', { select: ['BusinessPartner'] }))
    expect(records.map((record) => record.BusinessPartner)).toEqual(
      partners(250).map((partner) => partner.BusinessPartner),
    )
    const reads = requests.filter((request) =>
      request.startsWith('GET /sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner'),
    )
    expect(reads).toHaveLength(8)
    expect(
      reads.filter((path) => !path.includes('$skiptoken')).every((path) => path.includes('$top=100')),
    ).toBe(true)
    expect(reads.every((path) => path.includes('sap-client=100'))).toBe(true)
  })

  it('stops after the limit, asking only for what is left', async () => {
    const { erp, requests } = setUp({ entitySets: { A_BusinessPartner: partners(50) } }, { pageSize: 20 })
    expect(await collect(erp.query('A_BusinessPartner', { limit: 30 }))).toHaveLength(30)
    expect(
      requests.filter((r) => r.includes('A_BusinessPartner?')).map((path) => /\$top=(\d+)/.exec(path)?.[1]),
    ).toEqual(['20', '10'])
  })

  it('filters with every comparison, in, contains and startsWith, typed by $metadata', async () => {
    const { erp, requests } = setUp({ entitySets: { A_BusinessPartner: partners(30) } })
    const found = await collect(
      erp.query('A_BusinessPartner', {
        where: {
          BusinessPartner: { gte: '1000005', lt: '1000020', ne: '1000010' },
          BusinessPartnerCategory: { in: ['1'] },
          BusinessPartnerFullName: { contains: 'artner 1', startsWith: 'Part' },
        },
      }),
    )
    expect(found.map((record) => record.BusinessPartner)).toEqual([
      '1000012',
      '1000014',
      '1000016',
      '1000018',
    ])
    expect(requests.at(-1)).toContain(
      "substringof('artner 1',BusinessPartnerFullName) and startswith(BusinessPartnerFullName,'Part')",
    )
  })

  it('matches hostile text only by equality, never by injection', async () => {
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

  it('binds raw filter parameters as literals', async () => {
    const { erp } = setUp({ entitySets: { A_BusinessPartner: partners(10) } })
    const found = await collect(
      erp.query('A_BusinessPartner', {
        raw: {
          text: 'BusinessPartner eq :id or BusinessPartnerFullName eq :name',
          params: { id: '1000001', name: "Partner 3' or '1' eq '1" },
        },
      }),
    )
    expect(found.map((record) => record.BusinessPartner)).toEqual(['1000001'])
  })

  it('filters dates with datetime literals and orders descending', async () => {
    const rows = partners(3).map((partner, index) => ({
      ...partner,
      CreationDate: new Date(Date.UTC(2024, 0, 10 + index)),
    }))
    const { erp, requests } = setUp({ entitySets: { A_BusinessPartner: rows } })
    const found = await collect(
      erp.query('A_BusinessPartner', {
        where: { CreationDate: { gte: new Date('2024-01-11T00:00:00Z') } },
        orderBy: [{ field: 'CreationDate', direction: 'desc' }],
      }),
    )
    expect(found.map((record) => record.BusinessPartner)).toEqual(['1000002', '1000001'])
    expect(requests.at(-1)).toContain("CreationDate ge datetime'2024-01-11T00:00:00'")
  })

  it('counts with $inlinecount', async () => {
    const { erp, requests } = setUp({ entitySets: { A_BusinessPartner: partners(12) } })
    expect(await erp.count('A_BusinessPartner', { where: { BusinessPartnerCategory: '1' } })).toBe(6)
    expect(requests.at(-1)).toContain('$inlinecount=allpages')
  })

  it('expands navigation into plain arrays of typed records', async () => {
    const { erp } = setUp(
      {
        entitySets: {
          A_SalesOrder: [{ SalesOrder: '4711', TotalNetAmount: '1250.500' }],
          A_SalesOrderItem: [
            { SalesOrder: '4711', SalesOrderItem: '10', Material: 'FG-100', RequestedQuantity: '5.000' },
          ],
        },
      },
      { service: 'API_SALES_ORDER_SRV' },
    )
    const [order] = await collect(erp.query('A_SalesOrder', { expand: ['to_Item'] }))
    expect(order?.to_Item).toEqual([
      {
        SalesOrder: '4711',
        SalesOrderItem: '10',
        Material: 'FG-100',
        RequestedQuantity: '5.000',
        NetAmount: null,
        ProductionPlant: null,
        RequestedQuantityUnit: null,
      },
    ])
  })

  it('remembers the ETag of each record read from an ETag-enabled set', async () => {
    const { erp } = setUp(
      {
        entitySets: {
          A_SalesOrder: [{ SalesOrder: '4711', LastChangeDateTime: '/Date(1709281800000+0000)/' }],
        },
      },
      { service: 'API_SALES_ORDER_SRV' },
    )
    const order = await erp.get('A_SalesOrder', '4711')
    expect(etagOf(order ?? {})).toBe(`W/"datetimeoffset'2024-03-01T08%3A30%3A00.0000000Z'"`)
  })

  it('reads $metadata once per connection', async () => {
    const { erp, requests } = setUp({ entitySets: { A_BusinessPartner: partners(1) } })
    await erp.get('A_BusinessPartner', '1000000')
    await erp.get('A_BusinessPartner', '1000000')
    expect(requests.filter((request) => request.includes('$metadata'))).toHaveLength(1)
  })

  it('logs the sap-message texts that come with a read', async () => {
    const warnings: unknown[] = []
    const logger = {
      debug() {},
      info() {},
      error() {},
      warn: (object: Record<string, unknown>) => warnings.push(object.messages),
    }
    const { erp, sim } = setUp({ entitySets: { A_BusinessPartner: partners(1) } }, { logger })
    await erp.metadata()
    sim.faults.next({
      match: { path: '*A_BusinessPartner*' },
      status: 200,
      headers: {
        'content-type': 'application/json',
        'sap-message': JSON.stringify({ code: 'BP/1', message: 'Partner is blocked', severity: 'warning' }),
      },
      body: { d: { BusinessPartner: '1000000' } },
    })
    expect(await erp.get('A_BusinessPartner', '1000000')).toEqual({ BusinessPartner: '1000000' })
    expect(warnings).toEqual([['warning BP/1: Partner is blocked']])
  })

  it('reads without $metadata when told to, leaving values as the wire carries them', async () => {
    const { erp, requests } = setUp(
      { entitySets: { A_BusinessPartner: [{ ...partners(1)[0], CreationDate: '/Date(1705276800000)/' }] } },
      { metadata: false },
    )
    expect((await erp.get('A_BusinessPartner', '1000000'))?.CreationDate).toBe('/Date(1705276800000)/')
    expect(requests.some((request) => request.includes('$metadata'))).toBe(false)
  })

  it('filters with substringof(…) eq true when configured, which the simulator reads too', async () => {
    const { erp, requests } = setUp(
      { entitySets: { A_BusinessPartner: partners(12) } },
      { booleanFunctionsEqTrue: true },
    )
    const found = await collect(
      erp.query('A_BusinessPartner', { where: { BusinessPartnerFullName: { contains: 'Partner 1' } } }),
    )
    expect(found.map((record) => record.BusinessPartner)).toEqual(['1000001', '1000010', '1000011'])
    expect(requests.at(-1)).toContain("substringof('Partner 1',BusinessPartnerFullName) eq true")
  })
})
