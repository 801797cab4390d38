import { describe, expect, it } from 'vitest'
import { runAcmeErp } from './run-acme-erp.js'

describe('the custom-connector example', () => {
  it('runs its scenario against the simulated ERP on loopback and reads only the new changes on the second sync', async () => {
    const lines: string[] = []
    const report = await runAcmeErp((line) => lines.push(line))

    expect(report.initialChanges).toBe(3)
    expect(report.ulmCustomers).toEqual([
      expect.objectContaining({ id: '1001', customer_no: 'C-100', credit_limit: '25000.00' }),
      expect.objectContaining({ id: '1003', customer_no: 'C-102', credit_limit: '80000.50' }),
    ])
    expect(report.upserted).toEqual({
      created: 1,
      updated: 1,
      failed: [
        { index: 2, code: 'VALIDATION_FAILED' },
        { index: 3, code: 'VALIDATION_FAILED', systemCode: '30' },
      ],
    })
    expect(report.invoice).toMatchObject({
      invoice_date: '2026-11-24',
      due_date: '2026-12-24',
      amount: '980.40',
    })
    expect(report.lockedUpdate).toEqual({ code: 'CONFLICT', systemCode: '40' })
    expect(report.changesSince).toEqual([
      { id: '1002', kind: 'upsert', customerNo: 'C-101' },
      { id: '1005', kind: 'upsert', customerNo: 'C-103' },
    ])
    // changes, query, one import for the upsert, create + get of the invoice, the refused update, changes.
    expect(report.calls).toEqual([
      'GET /api/v2/customers',
      'GET /api/v2/customers',
      'POST /api/v2/customers/import',
      'POST /api/v2/invoices',
      'GET /api/v2/invoices/1006',
      'PUT /api/v2/customers/1001',
      'GET /api/v2/customers',
    ])
    expect(lines.at(-1)).toContain('upsert C-101, upsert C-103')
  })
})
