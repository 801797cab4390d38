import { describe, expect, it } from 'vitest'
import { setUp } from '../test-support/sap-fixture.js'

const order = {
  ORDER_HEADER_IN: { DOC_TYPE: 'OR', SALES_ORG: '1710', DISTR_CHAN: '10', DIVISION: '00' },
  ORDER_PARTNERS: [{ PARTN_ROLE: 'AG', PARTN_NUMB: '17100001' }],
  ORDER_ITEMS_IN: [
    { ITM_NUMBER: '000010', MATERIAL: 'FG-100', TARGET_QTY: 5 },
    { ITM_NUMBER: '000020', MATERIAL: 'FG-200', TARGET_QTY: 1 },
  ],
}

describe('BAPI over SOAP-RFC', () => {
  it('calls a read BAPI and maps the export structure and RETURN', async () => {
    const { erp, requests } = setUp({
      entitySets: {
        A_Product: [{ Product: 'FG-100', ProductType: 'FERT', BaseUnit: 'PC', IsMarkedForDeletion: true }],
      },
    })
    const result = await erp.bapi('BAPI_MATERIAL_GET_DETAIL', { MATERIAL: 'FG-100', PLANT: '1710' })
    expect(result.values.MATERIAL_GENERAL_DATA).toMatchObject({
      MATL_TYPE: 'FERT',
      BASE_UOM: 'PC',
      DEL_FLAG: 'X',
    })
    expect(result.messages).toMatchObject([{ type: 'S', id: 'M3', number: '800' }])
    expect(requests.at(-1)).toBe('POST /sap/bc/soap/rfc?sap-client=100')
  })

  it('reports a RETURN of type E as BAPI_ERROR although HTTP said 200', async () => {
    const { erp } = setUp()
    await expect(erp.bapi('BAPI_MATERIAL_GET_DETAIL', { MATERIAL: 'NOPE' })).rejects.toMatchObject({
      code: 'BAPI_ERROR',
      status: 200,
      systemCode: 'M3/305',
      message: 'sap: BAPI_MATERIAL_GET_DETAIL returned E M3/305: Material NOPE does not exist',
    })
  })

  it('sends tables as item rows and commits the write in the same session', async () => {
    const { erp, sim } = setUp()
    const result = await erp.bapi('BAPI_SALESORDER_CREATEFROMDAT2', order, { commit: true })
    expect(result.values.SALESDOCUMENT).toBe('4711')
    const stored = sim.service('API_SALES_ORDER_SRV')
    expect(stored.records('A_SalesOrder')).toMatchObject([
      { SalesOrder: '4711', SoldToParty: '17100001', SalesOrganization: '1710' },
    ])
    expect(stored.records('A_SalesOrderItem').map((item) => item.Material)).toEqual(['FG-100', 'FG-200'])
  })

  it('changes nothing without the commit', async () => {
    const { erp, sim } = setUp()
    await erp.bapi('BAPI_SALESORDER_CREATEFROMDAT2', order)
    expect(sim.service('API_SALES_ORDER_SRV').records('A_SalesOrder')).toEqual([])
  })

  it('reports every E row of a RETURN table and rolls back', async () => {
    const { erp, sim } = setUp()
    const error = await erp
      .bapi(
        'BAPI_SALESORDER_CREATEFROMDAT2',
        { ...order, ORDER_PARTNERS: [], ORDER_ITEMS_IN: [] },
        { commit: true },
      )
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'BAPI_ERROR', systemCode: 'V4/219' })
    expect((error as { details: { messages: unknown[] } }).details.messages).toHaveLength(3)
    expect(sim.service('API_SALES_ORDER_SRV').records('A_SalesOrder')).toEqual([])
  })

  it('maps a SOAP fault for an unknown function module', async () => {
    const { erp } = setUp()
    await expect(erp.bapi('Z_NO_SUCH_FM', {})).rejects.toMatchObject({
      code: 'SOAP_FAULT',
      status: 500,
      systemCode: 'FU_NOT_FOUND',
    })
  })

  it('writes a namespaced function name with _- and refuses other characters', async () => {
    const { erp, requests } = setUp()
    await expect(erp.bapi('/BIC/QI6ATEST_RFC', {})).rejects.toMatchObject({ code: 'SOAP_FAULT' })
    expect(requests.at(-1)).toContain('soap/rfc')
    await expect(erp.bapi('X><Y', {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
  })
})
