import { errors } from 'undici'
import { describe, expect, it } from 'vitest'
import { TimeoutError, TransportError, ValidationError } from '../errors/error-kinds.js'
import type { JunctionRequest } from '../pipeline/request.js'
import { CallDeadline } from './call-deadline.js'
import { mapUndiciError } from './map-undici-error.js'

const request: JunctionRequest = {
  method: 'POST',
  url: 'https://erp.example.com/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner',
  headers: {},
}

function map(error: unknown, signal?: AbortSignal) {
  const deadline = new CallDeadline(signal, 60_000)
  deadline.clear()
  return mapUndiciError(error, { request, deadline })
}

const systemError = (code: string) => Object.assign(new Error(`${code} somewhere`), { code })

describe('mapUndiciError', () => {
  it('maps a connect timeout to a retryable TIMEOUT', () => {
    const error = map(new errors.ConnectTimeoutError())
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true })
  })

  it('maps an unresolvable host to a retryable CONNECTION_FAILED', () => {
    expect(map(systemError('ENOTFOUND'))).toMatchObject({ code: 'CONNECTION_FAILED', retryable: true })
  })

  it('finds the code inside an AggregateError from a multi-address connect', () => {
    const error = Object.assign(
      new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')]),
      {
        code: undefined,
      },
    )
    expect(map(error)).toMatchObject({ code: 'CONNECTION_FAILED', retryable: true })
  })

  it('maps an early end of the body to a retryable CONNECTION_RESET', () => {
    expect(map(new errors.ResponseContentLengthMismatchError())).toMatchObject({
      code: 'CONNECTION_RESET',
      retryable: true,
    })
  })

  it('maps an expired certificate to a non-retryable TLS_FAILED', () => {
    const error = map(systemError('CERT_HAS_EXPIRED'))
    expect(error).toBeInstanceOf(TransportError)
    expect(error).toMatchObject({ code: 'TLS_FAILED', retryable: false })
  })

  it('maps a request undici refuses to send to a ValidationError', () => {
    expect(map(new errors.InvalidArgumentError('invalid header'))).toBeInstanceOf(ValidationError)
  })

  it('maps an unknown failure to a non-retryable CONNECTION_FAILED', () => {
    expect(map(new Error('surprise'))).toMatchObject({ code: 'CONNECTION_FAILED', retryable: false })
  })

  it("maps a caller's timeout signal to DEADLINE_EXCEEDED", () => {
    const signal = AbortSignal.abort(new DOMException('timed out', 'TimeoutError'))
    expect(map(signal.reason, signal)).toMatchObject({ code: 'DEADLINE_EXCEEDED', retryable: false })
  })

  it('keeps the original error as the cause and the path without host or query', () => {
    const original = systemError('ECONNRESET')
    const error = map(original)
    expect(error.cause).toBe(original)
    expect(error.path).toBe('/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner')
    expect(error.message).toBe(
      'POST /sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner: the connection closed before the response was complete (ECONNRESET)',
    )
  })
})
