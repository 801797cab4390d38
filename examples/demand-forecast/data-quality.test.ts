import type { SalesOrder } from '@junction/core'
import { describe, expect, it } from 'vitest'
import { dropDuplicates, refusedByReason } from './data-quality.js'

const order = (number: string, customer: string, quantity: string): SalesOrder => ({
  number,
  sourceIds: { sap: number },
  customer: { sourceIds: { sap: customer } },
  orderDate: new Date('2026-11-03T00:00:00Z'),
  lines: [{ lineNumber: '10', product: { sourceIds: { sap: 'FG-100' } }, quantity }],
})

describe('cleaning', () => {
  it('drops every later copy of an order entered twice and keeps the lowest number', () => {
    const { kept, dropped } = dropDuplicates([
      order('1000012', 'C1', '5.000'),
      order('1000003', 'C1', '5.000'),
      order('1000007', 'C1', '6.000'),
      order('1000010', 'C1', '5.000'),
    ])
    expect(kept.map((o) => o.number)).toEqual(['1000003', '1000007'])
    expect(dropped).toEqual({ reason: 'duplicate', orders: ['1000010', '1000012'] })
  })

  it('keeps orders that differ in customer or quantity', () => {
    const { kept, dropped } = dropDuplicates([order('1', 'C1', '5.000'), order('2', 'C2', '5.000')])
    expect(kept).toHaveLength(2)
    expect(dropped).toBeUndefined()
  })

  it('groups refused records by their first issue, list positions folded', () => {
    expect(
      refusedByReason([
        {
          entity: 'A_SalesOrder',
          sourceId: '1',
          issues: [{ path: ['lines', 0, 'quantity'], code: 'missing', message: '' }],
        },
        {
          entity: 'A_SalesOrder',
          sourceId: '2',
          issues: [{ path: ['lines', 3, 'quantity'], code: 'missing', message: '' }],
        },
        {
          entity: 'A_SalesOrder',
          sourceId: '3',
          issues: [{ path: ['orderDate'], code: 'open_end_date', message: '' }],
        },
      ]),
    ).toEqual([
      { reason: 'lines.*.quantity: missing', orders: ['1', '2'] },
      { reason: 'orderDate: open_end_date', orders: ['3'] },
    ])
  })
})
