import { describe, expect, it } from 'vitest'
import { sap } from './sap-connector.js'
import { etagOf } from './sap-responses.js'
import { ORIGIN, partners, setUp, track } from './test-support/sap-fixture.js'
import { sapSimulator } from './testing/sap-simulator.js'

const ORDERS = { service: 'API_SALES_ORDER_SRV' }

describe('sap $batch (V2 multipart)', () => {
  it('runs gets and writes in one call, one result per operation in order', async () => {
    const { erp, requests } = setUp({ entitySets: { A_BusinessPartner: partners(2) } })
    const results = await erp.batch([
      { op: 'get', entity: 'A_BusinessPartner', id: '1000001' },
      {
        op: 'create',
        entity: 'A_BusinessPartner',
        record: { BusinessPartnerCategory: '1', FirstName: 'Ada' },
      },
      {
        op: 'update',
        entity: 'A_BusinessPartner',
        update: { id: '1000000', values: { FirstName: 'Grace' } },
      },
      { op: 'get', entity: 'A_BusinessPartner', id: '9999999' },
    ])
    expect(results).toMatchObject([
      { ok: true, index: 0, record: { BusinessPartner: '1000001' } },
      { ok: true, index: 1, id: '1000002' },
      { ok: true, index: 2, id: '1000000' },
      { ok: false, index: 3, error: { code: 'NOT_FOUND', systemCode: '/IWBEP/CM_MGW_RT/020' } },
    ])
    expect(requests.filter((request) => request.startsWith('POST'))).toEqual([
      'POST /sap/opu/odata/sap/API_BUSINESS_PARTNER/$batch?sap-client=100',
    ])
  })

  it('reports a failed atomic changeset as one error for all its operations and applies none', async () => {
    const { erp, sim } = setUp({}, ORDERS)
    const results = await erp.batch(
      [
        { op: 'create', entity: 'A_SalesOrder', record: { SalesOrderType: 'OR' } },
        { op: 'create', entity: 'A_SalesOrder', record: { NoSuchField: 'x' } },
      ],
      { atomic: true },
    )
    expect(results).toMatchObject([
      { ok: false, error: { code: 'BAD_REQUEST', systemCode: '/IWBEP/CM_MGW_RT/004' } },
      { ok: false, error: { code: 'BAD_REQUEST', systemCode: '/IWBEP/CM_MGW_RT/004' } },
    ])
    expect(sim.service('API_SALES_ORDER_SRV').records('A_SalesOrder')).toEqual([])
  })

  it('keeps independent changesets apart when not atomic', async () => {
    const { erp, sim } = setUp({}, ORDERS)
    const results = await erp.batch([
      { op: 'create', entity: 'A_SalesOrder', record: { SalesOrderType: 'OR' } },
      { op: 'create', entity: 'A_SalesOrder', record: { NoSuchField: 'x' } },
    ])
    expect(results.map((result) => result.ok)).toEqual([true, false])
    expect(sim.service('API_SALES_ORDER_SRV').records('A_SalesOrder')).toHaveLength(1)
  })

  it('creates a child through a Content-ID reference in the same changeset', async () => {
    const { erp, sim } = setUp({}, ORDERS)
    const results = await erp.batch(
      [
        { op: 'create', entity: 'A_SalesOrder', record: { SalesOrderType: 'OR' } },
        { op: 'create', entity: '$1/to_Item', record: { Material: 'FG-100', RequestedQuantity: '2' } },
      ],
      { atomic: true },
    )
    expect(results.map((result) => result.ok)).toEqual([true, true])
    expect(sim.service('API_SALES_ORDER_SRV').records('A_SalesOrderItem')).toMatchObject([
      { SalesOrder: '4711', Material: 'FG-100' },
    ])
  })

  it('sends If-Match inside the batch and reports a stale ETag as a conflict', async () => {
    const { erp } = setUp({ entitySets: { A_SalesOrder: [{ SalesOrder: '4711' }] } }, ORDERS)
    const etag = etagOf((await erp.get('A_SalesOrder', '4711')) ?? {})
    const results = await erp.batch([
      {
        op: 'update',
        entity: 'A_SalesOrder',
        update: { id: '4711', values: { PurchaseOrderByCustomer: 'A' }, etag },
      },
      {
        op: 'update',
        entity: 'A_SalesOrder',
        update: { id: '4711', values: { PurchaseOrderByCustomer: 'B' }, etag },
      },
    ])
    expect(results).toMatchObject([{ ok: true }, { ok: false, error: { code: 'CONFLICT', status: 412 } }])
  })

  it('splits a large non-atomic batch into batchSize requests', async () => {
    const { erp, requests } = setUp({}, { batchSize: 10 })
    const results = await erp.batch(
      Array.from({ length: 25 }, () => ({
        op: 'create' as const,
        entity: 'A_BusinessPartner',
        record: { BusinessPartnerCategory: '2' },
      })),
    )
    expect(results.every((result) => result.ok)).toBe(true)
    expect(requests.filter((request) => request.includes('$batch'))).toHaveLength(3)
  })

  it('turns allOrNone creates into one atomic changeset', async () => {
    const { erp, sim } = setUp({}, ORDERS)
    const results = await erp.create(
      'A_SalesOrder',
      [{ SalesOrderType: 'OR' }, { SalesOrderType: 'TOO_LONG' }],
      { allOrNone: true },
    )
    expect(results.map((result) => result.ok)).toEqual([false, false])
    expect(sim.service('API_SALES_ORDER_SRV').records('A_SalesOrder')).toEqual([])
  })

  it('groups changesetSize consecutive writes per changeset, a refusal undoing only its own', async () => {
    const { erp, sim, requests } = setUp({}, ORDERS)
    const create = (type: string) => ({
      op: 'create' as const,
      entity: 'A_SalesOrder',
      record: { SalesOrderType: type },
    })
    const results = await erp.batch([create('OR'), create('TOO_LONG'), create('CR'), create('DR')], {
      changesetSize: 2,
    })
    expect(results.map((result) => [result.index, result.ok])).toEqual([
      [0, false],
      [1, false],
      [2, true],
      [3, true],
    ])
    const refused = {
      ok: false,
      error: { code: 'BAD_REQUEST', status: 400, systemCode: '/IWBEP/CM_MGW_RT/004' },
    }
    expect(results.slice(0, 2)).toMatchObject([refused, refused])
    expect(
      sim
        .service('API_SALES_ORDER_SRV')
        .records('A_SalesOrder')
        .map((row) => row.SalesOrderType),
    ).toEqual(['CR', 'DR'])
    expect(requests.filter((request) => request.includes('$batch'))).toHaveLength(1)
  })

  it('never splits a changeset across $batch requests', async () => {
    const { erp, requests } = setUp({}, { ...ORDERS, batchSize: 3 })
    const results = await erp.batch(
      Array.from({ length: 4 }, () => ({
        op: 'create' as const,
        entity: 'A_SalesOrder',
        record: { SalesOrderType: 'OR' },
      })),
      { changesetSize: 2 },
    )
    expect(results.every((result) => result.ok)).toBe(true)
    expect(requests.filter((request) => request.includes('$batch'))).toHaveLength(2)
  })

  it('refuses a changesetSize larger than batchSize before sending anything', async () => {
    const { erp, requests } = setUp({}, { ...ORDERS, batchSize: 3 })
    await expect(
      erp.batch([{ op: 'create', entity: 'A_SalesOrder', record: {} }], { changesetSize: 4 }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(requests.filter((request) => request.includes('$batch'))).toEqual([])
  })

  it('fails only the operations of a $batch request that failed as a whole, keeping the earlier ones', async () => {
    const sim = track(sapSimulator())
    let batches = 0
    const dispatcher = sim.dispatcher.compose((dispatch) => (request, handler) => {
      if (request.path.includes('$batch') && ++batches === 2) sim.faults.next({ status: 503 })
      return dispatch(request, handler)
    })
    const erp = track(
      sap({
        serviceRoot: `${ORIGIN}${sim.servicePaths.API_SALES_ORDER_SRV}`,
        client: '100',
        auth: sim.auth,
        dispatcher,
        batchSize: 2,
        retry: false,
      }),
    )
    const results = await erp.batch(
      Array.from({ length: 4 }, () => ({
        op: 'create' as const,
        entity: 'A_SalesOrder',
        record: { SalesOrderType: 'OR' },
      })),
    )
    expect(results.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual([
      'ok',
      'ok',
      'SERVICE_UNAVAILABLE',
      'SERVICE_UNAVAILABLE',
    ])
    expect(sim.service('API_SALES_ORDER_SRV').records('A_SalesOrder')).toHaveLength(2)
  })

  it('fails an operation with a value it cannot write, and its changeset, without sending them', async () => {
    const { erp, sim } = setUp(
      { entitySets: { A_Product: [{ Product: 'FG-1' }, { Product: 'FG-2' }, { Product: 'FG-3' }] } },
      { service: 'API_PRODUCT_SRV' },
    )
    const weigh = (id: string, GrossWeight: unknown) => ({
      op: 'update' as const,
      entity: 'A_Product',
      update: { id, values: { GrossWeight } },
    })
    const results = await erp.batch([weigh('FG-1', 'heavy'), weigh('FG-2', 2), weigh('FG-3', 3)], {
      changesetSize: 2,
    })
    expect(results.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual([
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
      'ok',
    ])
    expect(results[1]).toMatchObject({ error: { message: expect.stringContaining('GrossWeight') } })
    expect(
      sim
        .service('API_PRODUCT_SRV')
        .records('A_Product')
        .map((row) => row.GrossWeight ?? null),
    ).toEqual([null, null, '3'])
  })

  it('sends the defaultIfMatch option for updates given no ETag', async () => {
    const { erp, sim } = setUp(
      { entitySets: { A_SalesOrder: [{ SalesOrder: '4711' }] } },
      { ...ORDERS, defaultIfMatch: '*' },
    )
    const [result] = await erp.batch([
      {
        op: 'update',
        entity: 'A_SalesOrder',
        update: { id: '4711', values: { PurchaseOrderByCustomer: 'A' } },
      },
    ])
    expect(result).toMatchObject({ ok: true, id: '4711' })
    expect(sim.service('API_SALES_ORDER_SRV').records('A_SalesOrder')[0]?.PurchaseOrderByCustomer).toBe('A')
  })

  it('reports upserts as not supported without sending them', async () => {
    const { erp } = setUp()
    const [result] = await erp.batch([
      { op: 'upsert', entity: 'A_BusinessPartner', record: {}, externalId: 'X' },
    ])
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_SUPPORTED' } })
  })
})
