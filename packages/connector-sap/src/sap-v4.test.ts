import { describe, expect, it } from 'vitest'
import { etagOf } from './sap-responses.js'
import { collect, setUp } from './test-support/sap-fixture.js'

const V4 = { service: 'api_salesorder' }
const GUID = 'AAAABBBB-CCCC-DDDD-EEEE-FFFF00001111'
const orders = Array.from({ length: 7 }, (_, index) => ({
  SalesOrder: String(8000 + index),
  SalesOrderDate: `2024-03-0${index + 1}`,
  TotalNetAmount: '10.500',
  SalesOrderUUID: index === 3 ? GUID : null,
  LastChangeDateTime: new Date(Date.UTC(2024, 2, 1, index)),
}))

describe('sap OData V4 (in-process simulator)', () => {
  it('detects V4 from the service root and follows relative nextLinks', async () => {
    const { erp, requests } = setUp({ entitySets: { SalesOrder: orders }, maxPageSize: 3 }, V4)
    const found = await collect(erp.query('SalesOrder', { select: ['SalesOrder'] }))
    expect(found.map((order) => order.SalesOrder)).toEqual(orders.map((order) => order.SalesOrder))
    expect(requests.filter((request) => request.includes('$skiptoken'))).toHaveLength(2)
  })

  it('writes bare V4 literals for dates and GUIDs', async () => {
    const { erp, requests } = setUp({ entitySets: { SalesOrder: orders } }, V4)
    const found = await collect(
      erp.query('SalesOrder', {
        where: { SalesOrderDate: { gte: new Date('2024-03-04T00:00:00Z') }, SalesOrderUUID: GUID },
      }),
    )
    expect(found.map((order) => order.SalesOrder)).toEqual(['8003'])
    expect(requests.at(-1)).toContain(
      `SalesOrderDate ge 2024-03-04 and SalesOrderUUID eq ${GUID.toLowerCase()}`,
    )
  })

  it('reads Edm.Date as a Date and Decimal exactly through IEEE754Compatible', async () => {
    const { erp } = setUp({ entitySets: { SalesOrder: orders } }, V4)
    expect(await erp.get('SalesOrder', '8000')).toMatchObject({
      SalesOrderDate: new Date('2024-03-01T00:00:00Z'),
      TotalNetAmount: '10.500',
    })
  })

  it('uses contains() rather than substringof in V4', async () => {
    const { erp, requests } = setUp({ entitySets: { SalesOrder: orders } }, V4)
    expect(
      await collect(erp.query('SalesOrder', { where: { SalesOrder: { contains: '05' } } })),
    ).toHaveLength(1)
    expect(requests.at(-1)).toContain("contains(SalesOrder,'05')")
  })

  it('counts with $count=true', async () => {
    const { erp } = setUp({ entitySets: { SalesOrder: orders } }, V4)
    expect(await erp.count('SalesOrder')).toBe(7)
  })

  it('updates with the @odata.etag it read, by PATCH', async () => {
    const { erp, requests } = setUp({ entitySets: { SalesOrder: orders } }, V4)
    const read = await erp.get('SalesOrder', '8000')
    const [result] = await erp.update('SalesOrder', [
      { id: '8000', values: { TotalNetAmount: '99.990' }, etag: etagOf(read ?? {}) },
    ])
    expect(result).toMatchObject({ ok: true })
    expect(requests.at(-1)).toMatch(/^PATCH .*SalesOrder\('8000'\)/)
    expect(await erp.get('SalesOrder', '8000')).toMatchObject({ TotalNetAmount: '99.990' })
  })

  it('runs an atomic JSON batch when configured, reporting sap-messages as warnings', async () => {
    const { erp, sim } = setUp({}, { ...V4, v4BatchFormat: 'json' })
    const results = await erp.batch(
      [
        {
          op: 'create',
          entity: 'SalesOrder',
          record: { SalesOrderType: 'OR', SalesOrderDate: new Date('2024-05-01T00:00:00Z') },
        },
        { op: 'create', entity: 'SalesOrder', record: { SalesOrderType: 'TA' } },
      ],
      { atomic: true },
    )
    expect(results).toMatchObject([
      { ok: true, id: '8000', warnings: ['success SIM/001: SalesOrder 8000 has been saved'] },
      { ok: true, id: '8001' },
    ])
    expect(sim.service('api_salesorder').records('SalesOrder')[0]?.SalesOrderDate).toBe(Date.UTC(2024, 4, 1))
  })

  it('rolls back a failed JSON atomicity group', async () => {
    const { erp, sim } = setUp({}, { ...V4, v4BatchFormat: 'json' })
    const results = await erp.batch(
      [
        { op: 'create', entity: 'SalesOrder', record: { SalesOrderType: 'OR' } },
        { op: 'create', entity: 'SalesOrder', record: { Bogus: 1 } },
      ],
      { atomic: true },
    )
    expect(results.map((result) => result.ok)).toEqual([false, false])
    expect(sim.service('api_salesorder').records('SalesOrder')).toEqual([])
  })

  it('runs a multipart batch against V4 by default', async () => {
    const { erp } = setUp({ entitySets: { SalesOrder: orders } }, V4)
    const results = await erp.batch([
      { op: 'get', entity: 'SalesOrder', id: '8001' },
      { op: 'create', entity: 'SalesOrder', record: { SalesOrderType: 'OR' } },
    ])
    expect(results).toMatchObject([
      { ok: true, record: { SalesOrder: '8001' } },
      { ok: true, id: '8007' },
    ])
  })

  it('reads changes by LastChangeDateTime with a bare V4 literal', async () => {
    const { erp, requests } = setUp({ entitySets: { SalesOrder: orders } }, V4)
    const changes = await collect(erp.changes('SalesOrder', { since: new Date('2024-03-01T05:00:00Z') }))
    expect(changes.map((change) => change.id)).toEqual(['8005', '8006'])
    expect(requests.at(-1)).toContain('LastChangeDateTime ge 2024-03-01T04:55:00Z')
  })
})
