import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { contactSchema } from '../canonical/contact.js'
import { incidentSchema, type incidentStates } from '../canonical/incident.js'
import { productSchema } from '../canonical/product.js'
import { salesOrderLineSchema, salesOrderSchema } from '../canonical/sales-order.js'
import { ConfigError } from '../errors/error-kinds.js'
import { convert } from './convert.js'
import { converter } from './converter.js'
import { defineMapping } from './define-mapping.js'
import type { TransformResult } from './transformer.js'

const contactFromSalesforce = defineMapping({
  name: 'salesforce.Contact→Contact',
  to: contactSchema,
  fields: {
    sourceIds: { salesforce: ['Id', convert.salesforceId] },
    firstName: 'FirstName',
    lastName: ['LastName', convert.trim],
    name: (r) =>
      [r.FirstName, r.LastName].flatMap((part) => (typeof part === 'string' ? [part.trim()] : [])).join(' '),
    email: ['Email', convert.email],
    phone: 'Phone',
    address: { city: 'MailingAddress.City', postcode: ['MailingAddress.PostalCode', convert.trim] },
    updatedAt: ['LastModifiedDate', convert.sfDateTime],
  },
  inverse: { fields: { Id: 'sourceIds.salesforce' } },
})

const jane = {
  Id: '003D000000QfPySIAV',
  FirstName: 'Jane',
  LastName: ' Doe ',
  Email: ' Jane.Doe@Example.com',
  Phone: '',
  MailingAddress: { City: 'Leeds', PostalCode: ' LS1 4AP ' },
  LastModifiedDate: '2024-05-07T22:07:19.000+0000',
}

const issuesOf = <T>(result: TransformResult<T>) =>
  result.ok ? [] : result.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }))

describe('defineMapping', () => {
  it('maps a system record to a canonical one', () => {
    const result = contactFromSalesforce.transform(jane)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value).toEqual({
      sourceIds: { salesforce: '003D000000QfPySIAV' },
      firstName: 'Jane',
      lastName: 'Doe',
      name: 'Jane Doe',
      email: 'jane.doe@example.com',
      address: { city: 'Leeds', postcode: 'LS1 4AP' },
      updatedAt: new Date('2024-05-07T22:07:19.000Z'),
    })
  })

  it('reports a field without a value as a missing warning', () => {
    const result = contactFromSalesforce.transform(jane)
    expect(result.warnings).toEqual([{ path: ['phone'], code: 'missing', message: 'no value' }])
  })

  it('collects every issue of a record, each with its target path', () => {
    const result = contactFromSalesforce.transform({
      Id: 'not-an-id',
      Email: 'nobody',
      MailingAddress: { PostalCode: 42 },
      LastModifiedDate: '2024-13-01T00:00:00Z',
    })
    expect(issuesOf(result)).toEqual([
      { path: 'sourceIds.salesforce', code: 'invalid_format' },
      { path: 'email', code: 'invalid_format' },
      { path: 'updatedAt', code: 'invalid_format' },
      { path: 'name', code: 'missing' },
    ])
  })

  it('keeps missing warnings on a failed record too', () => {
    const result = contactFromSalesforce.transform({ Email: 'nobody' })
    expect(result.ok).toBe(false)
    expect(result.warnings?.map((issue) => issue.path.join('.'))).toContain('phone')
  })

  it('turns a converter that throws into a converter_threw issue at the field', () => {
    const explode = converter('explode', () => {
      throw new RangeError('boom')
    })
    const mapping = defineMapping({
      to: z.object({ a: z.string().optional() }),
      fields: { a: ['A', explode] },
    })
    const result = mapping.transform({ A: 'x' })
    expect(result).toEqual({
      ok: false,
      issues: [{ path: ['a'], code: 'converter_threw', message: 'explode threw: RangeError: boom' }],
    })
  })

  it('turns a computed field or plain step that throws into an issue', () => {
    const mapping = defineMapping({
      to: z.object({ a: z.string().optional(), b: z.string().optional() }),
      fields: {
        a: () => {
          throw new Error('no')
        },
        b: [
          'B',
          (value: unknown) => {
            throw new Error(String(value))
          },
        ],
      },
    })
    expect(issuesOf(mapping.transform({ B: 'x' }))).toEqual([
      { path: 'a', code: 'converter_threw' },
      { path: 'b', code: 'converter_threw' },
    ])
  })

  it('types computed fields by the from schema', () => {
    const mapping = defineMapping({
      from: z.looseObject({ Id: z.string(), Amount: z.number() }),
      to: z.object({ id: z.string(), doubled: z.number() }),
      fields: { id: 'Id', doubled: (r) => r.Amount * 2 },
    })
    expect(mapping.transform({ Id: 'a', Amount: 2 })).toEqual({ ok: true, value: { id: 'a', doubled: 4 } })
  })

  it('validates the source first when a from schema is given, with source paths', () => {
    const mapping = defineMapping({
      from: z.looseObject({ Id: z.string(), Amount: z.number() }),
      to: z.object({ id: z.string() }),
      fields: { id: 'Id' },
    })
    expect(issuesOf(mapping.transform({ Amount: 'x' }))).toEqual([
      { path: 'Id', code: 'missing' },
      { path: 'Amount', code: 'invalid_type' },
    ])
  })

  it('refuses input that is not a record with one issue', () => {
    for (const input of [null, undefined, 42, 'text', true]) {
      expect(issuesOf(contactFromSalesforce.transform(input))).toEqual([{ path: '', code: 'invalid_type' }])
    }
  })

  it('reads ServiceNow shapes, dot-walked keys and number text', () => {
    const stateByCode: Record<string, (typeof incidentStates)[number]> = {
      '1': 'new',
      '2': 'in_progress',
      '3': 'on_hold',
      '6': 'resolved',
      '7': 'closed',
      '8': 'canceled',
    }
    const incidentFromServiceNow = defineMapping({
      to: incidentSchema,
      fields: {
        sourceIds: { servicenow: ['sys_id', convert.sysId] },
        number: ['number', convert.snValue],
        shortDescription: 'short_description',
        state: ['state', convert.snValue, (code: unknown) => stateByCode[String(code)]],
        priority: ['priority', convert.snValue, convert.integer],
        caller: { sourceIds: { servicenow: ['caller_id', convert.sysId] }, name: 'caller_id.name' },
        openedAt: ['opened_at', convert.snValue, convert.snDateTime],
        resolvedAt: ['resolved_at', convert.snDateTime],
      },
    })
    const result = incidentFromServiceNow.transform({
      sys_id: 'a9e30c7dc61122760116894de7bcc7bd',
      number: { display_value: 'INC0010042', value: 'INC0010042' },
      short_description: 'Printer on fire',
      state: { display_value: 'In Progress', value: '2' },
      priority: '3',
      caller_id: {
        link: 'https://x/sys_user/5b1e0f0a1b2c3d4e5f60718293a4b5c6',
        value: '5b1e0f0a1b2c3d4e5f60718293a4b5c6',
      },
      'caller_id.name': 'Abel Tuter',
      opened_at: { display_value: '2024-03-05 06:02:11', value: '2024-03-05 14:02:11' },
      resolved_at: '',
    })
    expect(result).toMatchObject({
      ok: true,
      value: {
        number: 'INC0010042',
        state: 'in_progress',
        priority: 3,
        caller: { name: 'Abel Tuter', sourceIds: { servicenow: '5b1e0f0a1b2c3d4e5f60718293a4b5c6' } },
        openedAt: new Date('2024-03-05T14:02:11Z'),
      },
      warnings: [{ path: ['resolvedAt'], code: 'missing' }],
    })
  })

  it('keeps the null a converter returns for a known absence, such as the SAP open end', () => {
    const productFromSap = defineMapping({
      to: productSchema,
      fields: {
        code: 'Product',
        name: 'ProductDescription',
        validTo: ['ValidityEndDate', convert.sapDateTime],
      },
    })
    const result = productFromSap.transform({
      Product: '000000000000004711',
      ProductDescription: 'Pump',
      ValidityEndDate: '/Date(253402214400000)/',
    })
    expect(result).toEqual({
      ok: true,
      value: { code: '000000000000004711', name: 'Pump', validTo: null, sourceIds: {} },
    })
  })

  it('maps lists through a line mapping, with the line index in issue paths', () => {
    const lineFromSap = defineMapping({
      to: salesOrderLineSchema,
      fields: { lineNumber: 'SalesOrderItem', quantity: ['RequestedQuantity', convert.decimal] },
    })
    const orderFromSap = defineMapping({
      to: salesOrderSchema,
      fields: {
        number: 'SalesOrder',
        netAmount: ['TotalNetAmount', convert.decimal],
        lines: ['to_Item', convert.each(lineFromSap)],
      },
    })
    const good = orderFromSap.transform({
      SalesOrder: '4711',
      TotalNetAmount: '1250.500',
      to_Item: { results: [{ SalesOrderItem: '10', RequestedQuantity: '2.000' }] },
    })
    expect(good).toMatchObject({
      ok: true,
      value: { netAmount: '1250.500', lines: [{ lineNumber: '10', quantity: '2.000' }] },
    })
    const bad = orderFromSap.transform({
      SalesOrder: '4711',
      to_Item: {
        results: [
          { SalesOrderItem: '10', RequestedQuantity: '1' },
          { SalesOrderItem: '20', RequestedQuantity: 'x' },
        ],
      },
    })
    expect(issuesOf(bad)).toEqual([{ path: 'lines.1.quantity', code: 'invalid_format' }])
  })

  it('lists the target fields it fills', () => {
    expect(contactFromSalesforce.fields).toContain('address.postcode')
  })

  it('refuses a malformed field spec when defined, naming the field', () => {
    expect(() => defineMapping({ to: z.object({ a: z.string() }), fields: { a: 42 as never } })).toThrow(
      ConfigError,
    )
  })
})

describe('the inverse of a mapping', () => {
  it('derives write-back for path fields, uses the declared fields for the rest and skips empty ones', () => {
    const forward = contactFromSalesforce.transform(jane)
    if (!forward.ok) throw new Error('setup failed')
    const back = contactFromSalesforce.inverse.transform(forward.value)
    expect(back).toEqual({
      ok: true,
      value: {
        Id: '003D000000QfPySIAV',
        FirstName: 'Jane',
        LastName: 'Doe',
        Email: 'jane.doe@example.com',
        MailingAddress: { City: 'Leeds', PostalCode: 'LS1 4AP' },
        LastModifiedDate: '2024-05-07T22:07:19.000Z',
      },
    })
  })

  it('checks the write-back record against the inverse schema when given', () => {
    const mapping = defineMapping({
      to: z.object({ amount: z.string() }),
      fields: { amount: ['Amount', convert.decimal] },
      inverse: { to: z.object({ Amount: z.string().max(5) }) },
    })
    expect(mapping.inverse.transform({ amount: '1.5' })).toEqual({ ok: true, value: { Amount: '1.5' } })
    expect(issuesOf(mapping.inverse.transform({ amount: '123456.5' }))).toEqual([
      { path: 'Amount', code: 'out_of_range' },
    ])
  })

  it('writes SAP formats back through the converters’ inverses', () => {
    const mapping = defineMapping({
      to: z.object({ changedAt: z.date(), time: z.string() }),
      fields: {
        changedAt: ['LastChangeDateTime', convert.sapDateTimeOffset],
        time: ['CreationTime', convert.sapTime],
      },
      inverse: {},
    })
    const forward = mapping.transform({
      LastChangeDateTime: '/Date(1709281800123+0000)/',
      CreationTime: 'PT13H20M05S',
    })
    if (!forward.ok) throw new Error('setup failed')
    expect(mapping.inverse.transform(forward.value)).toEqual({
      ok: true,
      value: { LastChangeDateTime: '/Date(1709281800123+0000)/', CreationTime: 'PT13H20M05S' },
    })
  })

  it('leaves out a mapping without a declared inverse', () => {
    const mapping = defineMapping({ to: z.object({ a: z.string() }), fields: { a: 'A' } })
    expect(mapping.inverse).toBeUndefined()
  })
})
