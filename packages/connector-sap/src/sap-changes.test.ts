import type { Change } from '@junction/core'
import { describe, expect, it } from 'vitest'
import { collect, setUp } from './test-support/sap-fixture.js'

const at = (iso: string) => new Date(iso).getTime()

describe('sap changes (LastChangeDateTime watermarks)', () => {
  it('reads sales orders changed since a time, oldest first, each with a resumable cursor', async () => {
    const orders = ['2024-03-01T10:00:00Z', '2024-03-01T08:00:00Z', '2024-02-01T00:00:00Z'].map(
      (time, index) => ({ SalesOrder: String(4711 + index), LastChangeDateTime: new Date(time) }),
    )
    const { erp, requests } = setUp(
      { entitySets: { A_SalesOrder: orders } },
      { service: 'API_SALES_ORDER_SRV' },
    )
    const changes = await collect(erp.changes('A_SalesOrder', { since: new Date('2024-03-01T00:00:00Z') }))
    expect(changes.map((change) => [change.id, change.changedAt?.toISOString()])).toEqual([
      ['4712', '2024-03-01T08:00:00.000Z'],
      ['4711', '2024-03-01T10:00:00.000Z'],
    ])
    expect(requests.at(-1)).toContain("LastChangeDateTime ge datetimeoffset'2024-02-29T23:55:00Z'")
    expect(requests.at(-1)).toContain('$orderby=LastChangeDateTime asc,SalesOrder asc')
  })

  it('resumes from a saved cursor without repeats, and sees later writes', async () => {
    let now = at('2024-03-01T12:00:00Z')
    const { erp } = setUp(
      { entitySets: { A_SalesOrder: [{ SalesOrder: '4711' }, { SalesOrder: '4712' }] }, now: () => now },
      { service: 'API_SALES_ORDER_SRV' },
    )
    const first = await collect(erp.changes('A_SalesOrder', { since: new Date(0) }))
    const cursor = first.at(-1)?.cursor as string
    expect(await collect(erp.changes('A_SalesOrder', { cursor }))).toEqual([])
    now += 60_000
    const read = await erp.get('A_SalesOrder', '4711')
    expect(read).toBeDefined()
    await erp.update('A_SalesOrder', [{ id: '4711', values: { PurchaseOrderByCustomer: 'PO' }, etag: '*' }])
    const next: Change[] = await collect(erp.changes('A_SalesOrder', { cursor }))
    expect(next.map((change) => change.id)).toEqual(['4711'])
  })

  it('reads business partners by LastChangeDate + LastChangeTime', async () => {
    const partners = [
      { BusinessPartner: '1', LastChangeDate: '/Date(1709251200000)/', LastChangeTime: 'PT10H00M00S' },
      { BusinessPartner: '2', LastChangeDate: '/Date(1709251200000)/', LastChangeTime: 'PT08H00M00S' },
      { BusinessPartner: '3', LastChangeDate: '/Date(1709164800000)/', LastChangeTime: 'PT23H00M00S' },
    ]
    const { erp, requests } = setUp({ entitySets: { A_BusinessPartner: partners } })
    const changes = await collect(
      erp.changes('A_BusinessPartner', { since: new Date('2024-03-01T09:00:00Z') }),
    )
    expect(changes.map((change) => [change.id, change.changedAt?.toISOString()])).toEqual([
      ['1', '2024-03-01T10:00:00.000Z'],
    ])
    expect(requests.at(-1)).toContain("LastChangeDate ge datetime'2024-03-01T00:00:00'")
  })

  it('refuses a cursor it did not write', async () => {
    const { erp } = setUp({}, { service: 'API_SALES_ORDER_SRV' })
    await expect(collect(erp.changes('A_SalesOrder', { cursor: 'bm90IGEgY3Vyc29y' }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })

  it('refuses a set without a change timestamp', async () => {
    const { erp } = setUp()
    await expect(collect(erp.changes('A_Customer'))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
  })

  it('misses nothing when a record changes while the read pages through', async () => {
    let now = at('2024-03-02T00:00:00Z')
    const orders = Array.from({ length: 10 }, (_, index) => ({
      SalesOrder: String(4711 + index),
      LastChangeDateTime: new Date(at('2024-03-01T00:00:00Z') + index * 60_000),
    }))
    const { erp } = setUp(
      { entitySets: { A_SalesOrder: orders }, now: () => now },
      { service: 'API_SALES_ORDER_SRV' },
    )
    const seen: string[] = []
    for await (const change of erp.changes('A_SalesOrder', { since: new Date(0), pageSize: 3 })) {
      seen.push(change.id)
      if (seen.length === 1) {
        now += 1
        await erp.update('A_SalesOrder', [
          { id: '4711', values: { PurchaseOrderByCustomer: 'moved' }, etag: '*' },
        ])
      }
    }
    expect(new Set(seen)).toEqual(new Set(orders.map((order) => order.SalesOrder)))
    expect(seen.filter((id) => id === '4711')).toHaveLength(2)
  })

  it('pages through more records sharing one change time than fit a page', async () => {
    const orders = Array.from({ length: 7 }, (_, index) => ({
      SalesOrder: String(4711 + index),
      LastChangeDateTime: new Date('2024-03-01T00:00:00Z'),
    }))
    const { erp } = setUp({ entitySets: { A_SalesOrder: orders } }, { service: 'API_SALES_ORDER_SRV' })
    const changes = await collect(erp.changes('A_SalesOrder', { since: new Date(0), pageSize: 3 }))
    expect(changes.map((change) => change.id)).toEqual(orders.map((order) => order.SalesOrder))
  })
})
