import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { customerSchema } from '../canonical/customer.js'
import { compose } from './compose.js'
import { convert } from './convert.js'
import { defineMapping } from './define-mapping.js'

// SAP business partner → canonical customer → Salesforce Account (the customer mapping's inverse).
const customerFromSap = defineMapping({
  name: 'sap.BusinessPartner→Customer',
  to: customerSchema,
  fields: {
    sourceIds: { sap: 'BusinessPartner' },
    name: ['BusinessPartnerFullName', convert.trim],
    createdAt: ['CreationDate', convert.sapDateTime],
    email: 'EmailAddress',
  },
  inverse: {},
})

const customerFromSalesforce = defineMapping({
  name: 'salesforce.Account→Customer',
  to: customerSchema,
  fields: {
    sourceIds: { salesforce: ['Id', convert.salesforceId] },
    name: 'Name',
    createdAt: ['CreatedDate', convert.sfDateTime],
  },
  inverse: { to: z.object({ Name: z.string(), CreatedDate: z.string().optional() }) },
})

const sapToSalesforce = compose(customerFromSap, customerFromSalesforce.inverse)

describe('compose', () => {
  it('runs A then B', () => {
    const result = sapToSalesforce.transform({
      BusinessPartner: '1000123',
      BusinessPartnerFullName: ' ACME GmbH ',
      CreationDate: '/Date(1705276800000)/',
    })
    expect(result).toMatchObject({
      ok: true,
      value: { Name: 'ACME GmbH', CreatedDate: '2024-01-15T00:00:00.000Z' },
    })
  })

  it('keeps the warnings of both steps', () => {
    const result = sapToSalesforce.transform({ BusinessPartner: '1', BusinessPartnerFullName: 'X' })
    expect(result.warnings?.map((issue) => issue.path.join('.'))).toEqual(['createdAt', 'email'])
  })

  it('stops at the first step that fails, with its issues', () => {
    const result = sapToSalesforce.transform({ BusinessPartner: '1', CreationDate: 'yesterday' })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues.map((issue) => `${issue.path.join('.')}:${issue.code}`)).toEqual([
      'createdAt:invalid_format',
      'name:missing',
    ])
  })

  it('reports the failure of the second step', () => {
    const strict = defineMapping({ to: z.object({ n: z.string().min(5) }), fields: { n: 'name' } })
    const result = compose(customerFromSap, strict).transform({
      BusinessPartner: '1',
      BusinessPartnerFullName: 'ACME',
    })
    expect(result).toMatchObject({ ok: false, issues: [{ path: ['n'], code: 'out_of_range' }] })
  })

  it('names the chain', () => {
    expect(sapToSalesforce.name).toBe('sap.BusinessPartner→Customer → salesforce.Account→Customer⁻¹')
  })

  it('inverts to B⁻¹ then A⁻¹ when both steps are invertible', () => {
    const back = sapToSalesforce.inverse?.transform({
      Name: 'ACME GmbH',
      CreatedDate: '2024-01-15T00:00:00.000Z',
    })
    expect(back).toMatchObject({
      ok: true,
      value: { BusinessPartnerFullName: 'ACME GmbH', CreationDate: '/Date(1705276800000)/' },
    })
  })

  it('has no inverse when a step has none', () => {
    const oneWay = defineMapping({ to: z.object({ n: z.string() }), fields: { n: 'name' } })
    expect(compose(customerFromSap, oneWay).inverse).toBeUndefined()
  })
})
