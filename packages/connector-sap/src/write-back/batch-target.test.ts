import {
  approvalGate,
  auditTrail,
  memoryAudit,
  memoryStore,
  transformFailure,
  transformSuccess,
  writeBack,
} from '@junction/core'
import { describe, expect, it } from 'vitest'
import { sap } from '../sap-connector.js'
import { setUp, track } from '../test-support/sap-fixture.js'
import { sapSimulator } from '../testing/sap-simulator.js'
import { batchTarget, type SapWrite } from './batch-target.js'

const PRODUCTS = { service: 'API_PRODUCT_SRV' }

interface Classification {
  product: string
  group: string
}

const products = ['FG-1', 'FG-2', 'FG-3', 'FG-4'].map((Product) => ({ Product, ProductType: 'FERT' }))
const toUpdate = (result: Classification): SapWrite => ({
  op: 'update',
  id: result.product,
  values: { ProductGroup: result.group },
})
// ProductGroup holds at most 9 characters: SAP refuses a longer one with a 400.
const TOO_LONG = 'GROUP-TOO-LONG'

const groups = (sim: ReturnType<typeof sapSimulator>) =>
  Object.fromEntries(
    sim
      .service('API_PRODUCT_SRV')
      .records('A_Product')
      .map((row) => [row.Product, row.ProductGroup ?? null]),
  )

describe('batchTarget', () => {
  it('writes every result in one $batch and reports a result per record, in order', async () => {
    const { erp, sim, requests } = setUp({ entitySets: { A_Product: products } }, PRODUCTS)
    const target = batchTarget(erp, { entitySet: 'A_Product', map: toUpdate })
    const results = await target.write(
      [
        { product: 'FG-3', group: 'L003' },
        { product: 'FG-1', group: 'L001' },
      ],
      { signal: undefined, correlationId: undefined },
    )
    expect(results).toEqual([
      { ok: true, index: 0, id: 'FG-3' },
      { ok: true, index: 1, id: 'FG-1' },
    ])
    expect(groups(sim)).toMatchObject({ 'FG-1': 'L001', 'FG-3': 'L003', 'FG-2': null })
    expect(requests.filter((request) => request.startsWith('POST'))).toEqual([
      'POST /sap/opu/odata/sap/API_PRODUCT_SRV/$batch?sap-client=100',
    ])
  })

  it('reports a refused record as failed and writes the records around it', async () => {
    const { erp, sim } = setUp({ entitySets: { A_Product: products } }, PRODUCTS)
    const target = batchTarget(erp, { entitySet: 'A_Product', map: toUpdate })
    const results = await target.write(
      [
        { product: 'FG-1', group: 'L001' },
        { product: 'FG-2', group: TOO_LONG },
        { product: 'FG-3', group: 'L003' },
      ],
      { signal: undefined, correlationId: undefined },
    )
    expect(results.map((result) => [result.index, result.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ])
    expect(results[1]).toMatchObject({ error: { code: 'BAD_REQUEST', status: 400, system: 'sap' } })
    expect(groups(sim)).toMatchObject({ 'FG-1': 'L001', 'FG-2': null, 'FG-3': 'L003' })
  })

  it('fails a record whose value SAP cannot take without sending it, and writes the others', async () => {
    const { erp, sim } = setUp({ entitySets: { A_Product: products } }, PRODUCTS)
    const target = batchTarget<{ product: string; weight: unknown }>(erp, {
      entitySet: 'A_Product',
      map: (row) => ({ op: 'update', id: row.product, values: { GrossWeight: row.weight } }),
    })
    const results = await target.write(
      [
        { product: 'FG-1', weight: 'heavy' },
        { product: 'FG-2', weight: 12.5 },
      ],
      { signal: undefined, correlationId: undefined },
    )
    expect(results).toMatchObject([
      { ok: false, index: 0, error: { code: 'VALIDATION_FAILED' } },
      { ok: true, index: 1, id: 'FG-2' },
    ])
    expect(sim.service('API_PRODUCT_SRV').records('A_Product')[1]?.GrossWeight).toBe('12.5')
  })

  it('reports a failed changeset on each of its records and applies none of them', async () => {
    const { erp, sim } = setUp({ entitySets: { A_Product: products } }, PRODUCTS)
    const target = batchTarget(erp, { entitySet: 'A_Product', map: toUpdate, changesetSize: 2 })
    const results = await target.write(
      [
        { product: 'FG-1', group: 'L001' },
        { product: 'FG-2', group: TOO_LONG },
        { product: 'FG-3', group: 'L003' },
        { product: 'FG-4', group: 'L004' },
      ],
      { signal: undefined, correlationId: undefined },
    )
    expect(results.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual([
      'BAD_REQUEST',
      'BAD_REQUEST',
      'ok',
      'ok',
    ])
    expect(groups(sim)).toEqual({ 'FG-1': null, 'FG-2': null, 'FG-3': 'L003', 'FG-4': 'L004' })
  })

  it('creates records and reports the keys SAP assigned', async () => {
    const { erp, sim } = setUp({}, { service: 'API_SALES_ORDER_SRV' })
    const target = batchTarget<{ customer: string; po: string }>(erp, {
      entitySet: 'A_SalesOrder',
      map: (order) => ({
        op: 'create',
        record: { SalesOrderType: 'OR', SoldToParty: order.customer, PurchaseOrderByCustomer: order.po },
      }),
    })
    const results = await target.write(
      [
        { customer: '17100001', po: 'FC-1' },
        { customer: '17100002', po: 'FC-2' },
      ],
      { signal: undefined, correlationId: undefined },
    )
    expect(results).toMatchObject([
      { ok: true, index: 0, id: '4711', warnings: ['success SIM/001: A_SalesOrder 4711 has been saved'] },
      { ok: true, index: 1, id: '4712' },
    ])
    expect(
      sim
        .service('API_SALES_ORDER_SRV')
        .records('A_SalesOrder')
        .map((row) => row.PurchaseOrderByCustomer),
    ).toEqual(['FC-1', 'FC-2'])
  })

  it('overwrites a set that wants If-Match when the map gives the ETag *', async () => {
    const { erp, sim } = setUp(
      { entitySets: { A_SalesOrder: [{ SalesOrder: '4711', SalesOrderType: 'OR' }] } },
      { service: 'API_SALES_ORDER_SRV' },
    )
    const target = batchTarget<{ order: string; po: string }>(erp, {
      entitySet: 'A_SalesOrder',
      map: (row) => ({ op: 'update', id: row.order, values: { PurchaseOrderByCustomer: row.po }, etag: '*' }),
    })
    const results = await target.write([{ order: '4711', po: 'FC-9' }], {
      signal: undefined,
      correlationId: undefined,
    })
    expect(results).toMatchObject([{ ok: true, id: '4711' }])
    expect(sim.service('API_SALES_ORDER_SRV').records('A_SalesOrder')[0]?.PurchaseOrderByCustomer).toBe(
      'FC-9',
    )
  })

  it('fails a result its transformer refuses without sending it, and writes the others', async () => {
    const { erp, sim, requests } = setUp({ entitySets: { A_Product: products } }, PRODUCTS)
    const target = batchTarget<Classification>(erp, {
      entitySet: 'A_Product',
      map: {
        name: 'classification-to-product',
        transform: (result) =>
          result.group === ''
            ? transformFailure('missing', 'a group is required')
            : transformSuccess(toUpdate(result)),
      },
    })
    const results = await target.write(
      [
        { product: 'FG-1', group: '' },
        { product: 'FG-2', group: 'L002' },
      ],
      { signal: undefined, correlationId: undefined },
    )
    expect(results).toMatchObject([
      { ok: false, index: 0, error: { code: 'VALIDATION_FAILED', entity: 'A_Product' } },
      { ok: true, index: 1, id: 'FG-2' },
    ])
    expect(groups(sim)).toMatchObject({ 'FG-1': null, 'FG-2': 'L002' })
    expect(requests.filter((request) => request.includes('$batch'))).toHaveLength(1)
  })

  it('fails every record of a $batch request SAP did not answer, without throwing', async () => {
    const { erp, sim } = setUp({ entitySets: { A_Product: products } }, PRODUCTS)
    await erp.metadata()
    sim.faults.next({ status: 503, match: { path: '*$batch' } })
    const target = batchTarget(erp, { entitySet: 'A_Product', map: toUpdate })
    const results = await target.write(
      [
        { product: 'FG-1', group: 'L001' },
        { product: 'FG-2', group: 'L002' },
      ],
      { signal: undefined, correlationId: undefined },
    )
    expect(results.map((result) => [result.index, result.ok ? 'ok' : result.error.code])).toEqual([
      [0, 'SERVICE_UNAVAILABLE'],
      [1, 'SERVICE_UNAVAILABLE'],
    ])
  })

  it('refuses an empty entity set or a changeset size below one when built', () => {
    const { erp } = setUp({}, PRODUCTS)
    expect(() => batchTarget(erp, { entitySet: '', map: toUpdate })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
    expect(() => batchTarget(erp, { entitySet: 'A_Product', map: toUpdate, changesetSize: 0 })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })

  it('is a write-back target: writeBack counts what SAP took and what it refused', async () => {
    const { erp } = setUp({ entitySets: { A_Product: products } }, PRODUCTS)
    const result = await writeBack({
      records: [
        { product: 'FG-1', group: 'L001' },
        { product: 'FG-2', group: TOO_LONG },
      ],
      targets: [batchTarget(erp, { entitySet: 'A_Product', map: toUpdate, name: 'erp' })],
    })
    expect(result.ok).toBe(false)
    expect(result.targets.map((target) => [target.target, target.succeeded, target.failed])).toEqual([
      ['erp', 1, 1],
    ])
  })

  it('writes nothing until an approval gate approves, then writes through $batch', async () => {
    const { erp, sim } = setUp({ entitySets: { A_Product: products } }, PRODUCTS)
    const sink = memoryAudit()
    const gate = approvalGate<Classification>({
      store: memoryStore(),
      audit: auditTrail(sink, { actor: { type: 'service', id: 'classifier' } }),
      targets: [batchTarget(erp, { entitySet: 'A_Product', map: toUpdate, name: 'erp' })],
    })
    const pending = await gate.submit({
      records: [{ product: 'FG-4', group: 'L004' }],
      requestedBy: 'classifier',
      model: { name: 'product-classifier', version: '1' },
    })
    expect(groups(sim)['FG-4']).toBeNull()
    const { request } = await gate.approve(pending.id, { by: 'planner@example.com' })
    expect(request.status).toBe('written')
    expect(groups(sim)['FG-4']).toBe('L004')
  })

  it('writes through $batch over a loopback server, V4 multipart included', async () => {
    const sim = track(
      sapSimulator({ entitySets: { SalesOrder: [{ SalesOrder: '8000', SalesOrderType: 'OR' }] } }),
    )
    const { url } = await sim.listen()
    const erp = track(
      sap({ serviceRoot: `${url}${sim.servicePaths.api_salesorder}`, client: '100', auth: sim.auth }),
    )
    const target = batchTarget<{ po: string }>(erp, {
      entitySet: 'SalesOrder',
      map: (row) =>
        row.po === 'new'
          ? { op: 'create', record: { SalesOrderType: 'OR', PurchaseOrderByCustomer: 'FC-NEW' } }
          : { op: 'update', id: '8000', values: { PurchaseOrderByCustomer: row.po }, etag: '*' },
    })
    const results = await target.write([{ po: 'FC-8000' }, { po: 'new' }], {
      signal: undefined,
      correlationId: 'run-1',
    })
    expect(results).toMatchObject([
      { ok: true, index: 0, id: '8000' },
      { ok: true, index: 1, id: '8001' },
    ])
    expect(
      sim
        .service('api_salesorder')
        .records('SalesOrder')
        .map((row) => row.PurchaseOrderByCustomer),
    ).toEqual(['FC-8000', 'FC-NEW'])
  })
})
