import { isJunctionError } from '@junction/core'
import { describe, expect, it } from 'vitest'
import { etagOf } from './sap-responses.js'
import { partners, setUp } from './test-support/sap-fixture.js'
import { quotaViolationFault } from './testing/sap-simulator.js'

const ORDERS = { service: 'API_SALES_ORDER_SRV' }
const order = {
  SalesOrder: '4711',
  SalesOrderType: 'OR',
  TotalNetAmount: '100.000',
  LastChangeDateTime: '/Date(1709281800000+0000)/',
}

describe('sap writes (V2, in-process simulator)', () => {
  it('creates with a fetched CSRF token and reports the server-assigned key and sap-message', async () => {
    const { erp, requests, sim } = setUp({}, ORDERS)
    const [result] = await erp.create('A_SalesOrder', [
      {
        SalesOrderType: 'OR',
        SoldToParty: '17100001',
        TotalNetAmount: 1250.5,
        to_Item: [{ Material: 'FG-100', RequestedQuantity: '5' }],
      },
    ])
    expect(result).toMatchObject({
      ok: true,
      id: '4711',
      warnings: ['success SIM/001: A_SalesOrder 4711 has been saved'],
    })
    expect(requests.filter((request) => request.startsWith('HEAD'))).toEqual([
      'HEAD /sap/opu/odata/sap/API_SALES_ORDER_SRV/?sap-client=100',
    ])
    const stored = sim.service('API_SALES_ORDER_SRV')
    expect(stored.records('A_SalesOrder')[0]?.TotalNetAmount).toBe('1250.5')
    expect(stored.records('A_SalesOrderItem')).toMatchObject([
      { SalesOrder: '4711', SalesOrderItem: '10', Material: 'FG-100' },
    ])
  })

  it('fetches the token once for many writes', async () => {
    const { erp, requests } = setUp({}, { service: 'API_BUSINESS_PARTNER' })
    await erp.create(
      'A_BusinessPartner',
      partners(3).map(({ BusinessPartner: _key, ...rest }) => rest),
    )
    expect(requests.filter((request) => request.startsWith('HEAD'))).toHaveLength(1)
    expect(requests.filter((request) => request.startsWith('POST'))).toHaveLength(3)
  })

  it('falls back to GET on the service root when HEAD answers 405', async () => {
    const { erp, requests } = setUp({ csrfHeadNotAllowed: true }, ORDERS)
    const [result] = await erp.create('A_SalesOrder', [{ SalesOrderType: 'OR' }])
    expect(result?.ok).toBe(true)
    expect(requests.filter((request) => !request.includes('$metadata')).slice(0, 2)).toEqual([
      'HEAD /sap/opu/odata/sap/API_SALES_ORDER_SRV/?sap-client=100',
      'GET /sap/opu/odata/sap/API_SALES_ORDER_SRV/?sap-client=100',
    ])
  })

  it('refetches the token once and replays when the session expired', async () => {
    const { erp, sim, requests } = setUp({}, ORDERS)
    await erp.create('A_SalesOrder', [{ SalesOrderType: 'OR' }])
    sim.expireSessions()
    const [result] = await erp.create('A_SalesOrder', [{ SalesOrderType: 'OR' }])
    expect(result).toMatchObject({ ok: true, id: '4712' })
    expect(requests.filter((request) => request.startsWith('HEAD'))).toHaveLength(2)
    expect(requests.filter((request) => request.startsWith('POST'))).toHaveLength(3)
  })

  it('reports CSRF_REQUIRED when the replay is refused too', async () => {
    const { erp, sim } = setUp({}, ORDERS)
    sim.faults.next({
      match: { method: 'POST' },
      times: 2,
      status: 403,
      headers: { 'x-csrf-token': 'Required' },
      body: 'CSRF token validation failed',
    })
    const [result] = await erp.create('A_SalesOrder', [{ SalesOrderType: 'OR' }])
    expect(result).toMatchObject({ ok: false, error: { code: 'CSRF_REQUIRED', status: 403 } })
  })

  it('updates with If-Match from the record read, and a stale ETag is a conflict carrying the current one', async () => {
    const { erp } = setUp({ entitySets: { A_SalesOrder: [order] } }, ORDERS)
    const read = await erp.get('A_SalesOrder', '4711')
    const etag = etagOf(read ?? {})
    expect(
      await erp.update('A_SalesOrder', [{ id: '4711', values: { PurchaseOrderByCustomer: 'PO-1' }, etag }]),
    ).toMatchObject([{ ok: true, id: '4711' }])
    const [stale] = await erp.update('A_SalesOrder', [
      { id: '4711', values: { PurchaseOrderByCustomer: 'PO-2' }, etag },
    ])
    const current = etagOf((await erp.get('A_SalesOrder', '4711')) ?? {})
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', status: 412, details: { currentEtag: current } },
    })
    expect(current).not.toBe(etag)
  })

  it('reports PRECONDITION_REQUIRED for an update without an ETag on an ETag-enabled set', async () => {
    const { erp } = setUp({ entitySets: { A_SalesOrder: [order] } }, ORDERS)
    const [result] = await erp.update('A_SalesOrder', [
      { id: '4711', values: { PurchaseOrderByCustomer: 'PO-1' } },
    ])
    expect(result).toMatchObject({ ok: false, error: { code: 'PRECONDITION_REQUIRED', status: 428 } })
  })

  it('overwrites an ETag-enabled record with If-Match * when defaultIfMatch is set and no ETag is given', async () => {
    const { erp, sim } = setUp({ entitySets: { A_SalesOrder: [order] } }, { ...ORDERS, defaultIfMatch: '*' })
    const [result] = await erp.update('A_SalesOrder', [
      { id: '4711', values: { PurchaseOrderByCustomer: 'PO-1' } },
    ])
    expect(result).toMatchObject({ ok: true, id: '4711' })
    expect(sim.service('API_SALES_ORDER_SRV').records('A_SalesOrder')[0]?.PurchaseOrderByCustomer).toBe(
      'PO-1',
    )
  })

  it('still sends a given ETag, and reports it stale, when defaultIfMatch is set', async () => {
    const { erp } = setUp({ entitySets: { A_SalesOrder: [order] } }, { ...ORDERS, defaultIfMatch: '*' })
    const [result] = await erp.update('A_SalesOrder', [
      {
        id: '4711',
        values: { PurchaseOrderByCustomer: 'PO-1' },
        etag: 'W/"datetimeoffset\'2001-01-01T00%3A00%3A00Z\'"',
      },
    ])
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', status: 412 } })
  })

  it('sends MERGE when configured', async () => {
    const { erp, requests } = setUp(
      { entitySets: { A_BusinessPartner: partners(1) } },
      { updateMethod: 'MERGE' },
    )
    expect(
      await erp.update('A_BusinessPartner', [{ id: '1000000', values: { FirstName: 'Ada' } }]),
    ).toMatchObject([{ ok: true }])
    expect(requests.at(-1)).toMatch(/^MERGE .*A_BusinessPartner\('1000000'\)/)
  })

  it('deletes by composite key', async () => {
    const { erp, sim } = setUp({
      entitySets: { A_BusinessPartnerAddress: [{ BusinessPartner: '1', AddressID: '2' }] },
    })
    expect(
      await erp.delete('A_BusinessPartnerAddress', [{ BusinessPartner: '1', AddressID: '2' }]),
    ).toMatchObject([{ ok: true, id: 'BusinessPartner=1,AddressID=2' }])
    expect(sim.service('API_BUSINESS_PARTNER').records('A_BusinessPartnerAddress')).toEqual([])
  })

  it('refuses a delete $metadata forbids without calling the service', async () => {
    const { erp, requests } = setUp({ entitySets: { A_BusinessPartner: partners(1) } })
    await expect(erp.delete('A_BusinessPartner', ['1000000'])).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    expect(requests.some((request) => request.startsWith('DELETE'))).toBe(false)
  })

  it('maps a V2 error body to a typed error with the message class', async () => {
    const { erp } = setUp({}, ORDERS)
    const [result] = await erp.create('A_SalesOrder', [{ NoSuchField: 'x' }])
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', systemCode: '/IWBEP/CM_MGW_RT/004' },
    })
  })

  it('keeps the other records when one write fails', async () => {
    const { erp } = setUp({}, ORDERS)
    const results = await erp.create('A_SalesOrder', [
      { SalesOrderType: 'OR' },
      { NoSuchField: 1 },
      { SalesOrderType: 'TA' },
    ])
    expect(results.map((result) => result.ok)).toEqual([true, false, true])
  })

  it('retries reads on 503 and on an API Management quota fault', async () => {
    const { erp, sim } = setUp({ entitySets: { A_BusinessPartner: partners(1) } })
    sim.faults.next({ match: { method: 'GET', path: '*A_BusinessPartner*' }, status: 503 })
    sim.faults.next(quotaViolationFault({ match: { method: 'GET', path: '*A_BusinessPartner*' } }))
    sim.faults.next({ match: { method: 'GET', path: '*A_BusinessPartner*' }, status: 429, retryAfter: 0 })
    expect(await erp.get('A_BusinessPartner', '1000000')).toMatchObject({ BusinessPartner: '1000000' })
    expect(sim.faults.count).toBe(3)
  })

  it('surfaces an API Management quota fault as RATE_LIMITED when retries run out', async () => {
    const { erp, sim } = setUp({ entitySets: { A_BusinessPartner: partners(1) } }, { retry: false })
    sim.faults.next(quotaViolationFault({ match: { path: '*A_BusinessPartner*' } }))
    const error = await erp.get('A_BusinessPartner', '1000000').catch((caught: unknown) => caught)
    expect(isJunctionError(error, 'RATE_LIMITED')).toBe(true)
    expect(error).toMatchObject({ systemCode: 'policies.ratelimit.QuotaViolation', retryable: true })
  })

  it('reads the current ETag when a 412 does not carry one', async () => {
    const { erp, sim } = setUp({ entitySets: { A_SalesOrder: [order] } }, ORDERS)
    const current = etagOf((await erp.get('A_SalesOrder', '4711')) ?? {})
    sim.faults.next({
      match: { method: 'PATCH' },
      status: 412,
      headers: { 'content-type': 'application/json' },
      body: {
        error: { code: '/IWBEP/CM_MGW_RT/016', message: { lang: 'en', value: 'Precondition failed' } },
      },
    })
    const [result] = await erp.update('A_SalesOrder', [
      { id: '4711', values: { PurchaseOrderByCustomer: 'X' }, etag: 'W/"old"' },
    ])
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', systemCode: '/IWBEP/CM_MGW_RT/016', details: { currentEtag: current } },
    })
  })
})
