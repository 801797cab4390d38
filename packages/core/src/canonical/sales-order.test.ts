import { describe, expect, it } from 'vitest'
import { salesOrderSchema } from './sales-order.js'

describe('salesOrderSchema', () => {
  it('defaults to no lines and no source ids', () => {
    expect(salesOrderSchema.parse({ number: '4711' })).toEqual({ number: '4711', sourceIds: {}, lines: [] })
  })

  it('points at the bad line in its issues', () => {
    const result = salesOrderSchema.safeParse({ number: '4711', lines: [{ lineNumber: '10', quantity: 2 }] })
    expect(result.error?.issues[0]?.path).toEqual(['lines', 0, 'quantity'])
  })
})
