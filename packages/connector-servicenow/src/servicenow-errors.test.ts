import {
  AuthError,
  type JunctionRequest,
  NotFoundError,
  RateLimitError,
  ValidationError,
} from '@junction/core'
import { describe, expect, it } from 'vitest'
import { mapServiceNowError } from './servicenow-errors.js'

const request: JunctionRequest = {
  method: 'POST',
  url: 'https://acme.service-now.com/api/now/table/incident',
  headers: {},
  operation: { name: 'create', entity: 'incident' },
}

const envelope = (message: string, detail: string | null) => ({
  error: { message, detail },
  status: 'failure',
})
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  mapServiceNowError({ status, headers, body, url: request.url }, request)

describe('mapServiceNowError', () => {
  it('maps 401 to an auth error with the message as systemCode', () => {
    const error = answer(401, envelope('User Not Authenticated', 'Required to provide Auth information'))
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ status: 401, systemCode: 'User Not Authenticated' })
  })

  it('maps 404 to not found', () => {
    const error = answer(
      404,
      envelope('No Record found', "Record doesn't exist or ACL restricts the record retrieval"),
    )
    expect(error).toBeInstanceOf(NotFoundError)
  })

  it('maps a data-policy 403 to a validation error', () => {
    const error = answer(
      403,
      envelope(
        'Operation Failed',
        'Data Policy Exception: The following fields are mandatory: Short description',
      ),
    )
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ systemCode: 'Operation Failed', status: 403 })
  })

  it('maps an ACL 403 to forbidden', () => {
    const error = answer(
      403,
      envelope('Operation Failed', 'ACL Exception Insert Failed due to security constraints'),
    )
    expect(error).toMatchObject({ code: 'FORBIDDEN', systemCode: 'Operation Failed' })
  })

  it('maps 429 to a rate-limit error with Retry-After and the rule reset time', () => {
    const error = answer(
      429,
      envelope('Rate limit exceeded', 'Rate limit of 100 requests per hour exceeded'),
      {
        'retry-after': '30',
        'x-ratelimit-reset': '1717000000',
      },
    )
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ retryAfterMs: 30_000, resetAt: new Date(1_717_000_000_000) })
  })

  it('keeps a null detail out of the message', () => {
    expect(answer(400, envelope('Requested URI does not represent any resource', null))).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Requested URI does not represent any resource',
    })
  })

  it('maps an unknown table to a validation error naming it', () => {
    expect(answer(400, envelope('Invalid table incidentx', null))).toMatchObject({
      code: 'VALIDATION_FAILED',
      systemCode: 'Invalid table incidentx',
    })
  })

  it('maps the quota cancellation to TRANSACTION_CANCELLED, not retried as is', () => {
    const error = answer(
      500,
      envelope('Transaction cancelled: maximum execution time exceeded', 'Check logs'),
    )
    expect(error).toMatchObject({ code: 'TRANSACTION_CANCELLED', retryable: false, status: 500 })
  })

  it('tells a rule 429 from a semaphore 429 by the X-RateLimit-Rule header', () => {
    expect(answer(429, envelope('Rate limit exceeded', 'x'), { 'x-ratelimit-rule': 'r1' })).toMatchObject({
      details: { cause: 'rate-limit-rule', rule: 'r1' },
    })
    expect(answer(429, 'Too Many Requests', { 'retry-after': '2' })).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterMs: 2000,
      details: { cause: 'semaphore' },
    })
  })

  it('leaves bodies that are not the envelope to the status mapping', () => {
    expect(answer(503, '<html>Instance Hibernating</html>')).toBeUndefined()
  })
})
