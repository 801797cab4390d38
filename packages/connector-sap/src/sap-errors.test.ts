import { ConflictError, type JunctionRequest, NotFoundError, RateLimitError } from '@junction/core'
import { describe, expect, it } from 'vitest'
import { mapSapError } from './sap-errors.js'

const request: JunctionRequest = {
  method: 'GET',
  url: "https://erp.example.com/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner('1')",
  headers: {},
  operation: { name: 'get', entity: 'A_BusinessPartner' },
}
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  mapSapError({ status, headers, body, url: request.url }, request)

describe('mapSapError', () => {
  it('maps a V2 error body by status, with the message class as systemCode', () => {
    const details = [{ code: '/IWBEP/CM_MGW_RT/020', message: 'Resource not found', severity: 'error' }]
    const error = answer(404, {
      error: {
        code: '/IWBEP/CM_MGW_RT/020',
        message: { lang: 'en', value: "Resource not found for segment 'A_BusinessPartnerType'" },
        innererror: { errordetails: details },
      },
    })
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error).toMatchObject({
      systemCode: '/IWBEP/CM_MGW_RT/020',
      message: "/IWBEP/CM_MGW_RT/020: Resource not found for segment 'A_BusinessPartnerType'",
      details,
    })
  })

  it('reads the V4 shape, whose message is a plain string', () => {
    const error = answer(400, {
      error: { code: 'SD_SLS/021', message: 'Sales order 4711 not found', details: [] },
    })
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      systemCode: 'SD_SLS/021',
      message: 'SD_SLS/021: Sales order 4711 not found',
    })
  })

  it('recognises a CSRF refusal by its header', () => {
    const error = answer(403, 'CSRF token validation failed', { 'x-csrf-token': 'Required' })
    expect(error).toMatchObject({ code: 'CSRF_REQUIRED', status: 403 })
  })

  it('treats an API Management quota fault as a rate limit, though it comes as a 500', () => {
    const error = answer(500, {
      fault: {
        faultstring: 'Rate limit quota violation',
        detail: { errorcode: 'policies.ratelimit.QuotaViolation' },
      },
    })
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ systemCode: 'policies.ratelimit.QuotaViolation', status: 500 })
  })

  it('leaves other bodies to the status mapping', () => {
    expect(answer(401, '<html>Logon failed</html>')).toBeUndefined()
  })

  it('maps 412 to a conflict carrying the current ETag', () => {
    const error = answer(
      412,
      { error: { code: '/IWBEP/CM_MGW_RT/016', message: { lang: 'en', value: 'Stale' } } },
      { etag: 'W/"x"' },
    )
    expect(error).toBeInstanceOf(ConflictError)
    expect(error).toMatchObject({ code: 'CONFLICT', details: { currentEtag: 'W/"x"' } })
  })

  it('maps 428 to PRECONDITION_REQUIRED', () => {
    expect(answer(428, '')).toMatchObject({ code: 'PRECONDITION_REQUIRED', retryable: false })
  })

  it('maps a SOAP fault with a serialized ABAP exception', () => {
    const fault = `<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Body><soap-env:Fault>
      <faultcode>soap-env:Client</faultcode><faultstring xml:lang="en">MATERIAL_NOT_FOUND</faultstring>
      <detail><rfc:Z_GET_STOCK.Exception xmlns:rfc="urn:sap-com:document:sap:rfc:functions"><Name>MATERIAL_NOT_FOUND</Name>
      <Text>Material FG-999 does not exist</Text></rfc:Z_GET_STOCK.Exception></detail></soap-env:Fault></soap-env:Body></soap-env:Envelope>`
    expect(answer(500, fault)).toMatchObject({
      code: 'SOAP_FAULT',
      systemCode: 'MATERIAL_NOT_FOUND',
      message: 'SAP SOAP fault: Material FG-999 does not exist',
    })
  })
})
