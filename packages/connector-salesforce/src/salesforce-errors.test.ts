import {
  AuthError,
  type JunctionRequest,
  NotFoundError,
  RateLimitError,
  ValidationError,
} from '@junction/core'
import { describe, expect, it } from 'vitest'
import { mapSalesforceError } from './salesforce-errors.js'

const request: JunctionRequest = {
  method: 'GET',
  url: 'https://acme.my.salesforce.com/services/data/v62.0/sobjects/Account/001000000000000AAA',
  headers: {},
  operation: { name: 'get', entity: 'Account' },
}

const answer = (status: number, body: unknown) =>
  mapSalesforceError({ status, headers: {}, body, url: request.url }, request)

describe('mapSalesforceError', () => {
  it('maps 401 INVALID_SESSION_ID to an expired session', () => {
    const error = answer(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ code: 'SESSION_EXPIRED', systemCode: 'INVALID_SESSION_ID', status: 401 })
  })

  it('maps 403 REQUEST_LIMIT_EXCEEDED to a rate-limit error', () => {
    const error = answer(403, [
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ])
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ code: 'RATE_LIMITED', systemCode: 'REQUEST_LIMIT_EXCEEDED' })
  })

  it('maps NOT_FOUND and ENTITY_IS_DELETED to not found', () => {
    expect(
      answer(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]),
    ).toBeInstanceOf(NotFoundError)
    expect(
      answer(404, [{ errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }]),
    ).toMatchObject({
      code: 'NOT_FOUND',
      systemCode: 'ENTITY_IS_DELETED',
    })
  })

  it('maps record-level DML errors to validation errors with the fields as details', () => {
    const body = [
      {
        message: 'Required fields are missing: [Name]',
        errorCode: 'REQUIRED_FIELD_MISSING',
        fields: ['Name'],
      },
    ]
    const error = answer(400, body)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ systemCode: 'REQUIRED_FIELD_MISSING', details: body })
  })

  it('treats row-lock contention as a retryable conflict', () => {
    const error = answer(400, [
      { message: 'unable to obtain exclusive access', errorCode: 'UNABLE_TO_LOCK_ROW' },
    ])
    expect(error).toMatchObject({ code: 'CONFLICT', retryable: true, systemCode: 'UNABLE_TO_LOCK_ROW' })
  })

  it('falls back to the status for codes it does not know, keeping the errorCode', () => {
    const error = answer(400, [{ message: 'odd', errorCode: 'SOMETHING_NEW' }])
    expect(error).toMatchObject({ code: 'BAD_REQUEST', systemCode: 'SOMETHING_NEW', status: 400 })
  })

  it('says how many more errors came with the first', () => {
    const error = answer(400, [
      { message: 'first', errorCode: 'INVALID_FIELD' },
      { message: 'second', errorCode: 'STRING_TOO_LONG' },
    ])
    expect(error?.message).toBe('INVALID_FIELD: first (and 1 more)')
  })

  it('leaves bodies that are not a REST error array to the status mapping', () => {
    expect(
      answer(400, { error: 'invalid_client', error_description: 'invalid client credentials' }),
    ).toBeUndefined()
    expect(answer(503, '<html>maintenance</html>')).toBeUndefined()
  })
})
