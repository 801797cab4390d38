import { describe, expect, it } from 'vitest'
import { AuthError, ConflictError, NotFoundError, RateLimitError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import { pipelineContext } from '../testing/pipeline-context.js'
import { httpErrors, httpStatusError } from './http-errors.js'
import type { JunctionRequest, JunctionResponse } from './request.js'

const request: JunctionRequest = {
  method: 'GET',
  url: 'https://example.test/api/items/7',
  query: { api_key: 'k' },
  headers: {},
  operation: { name: 'get', entity: 'Item' },
}
const response = (status: number, body: unknown = { error: 'nope' }, headers = {}): JunctionResponse => ({
  status,
  headers,
  body,
  url: request.url,
})

describe('httpStatusError', () => {
  it.each([
    [401, AuthError, 'SESSION_EXPIRED'],
    [404, NotFoundError, 'NOT_FOUND'],
    [409, ConflictError, 'CONFLICT'],
    [412, ConflictError, 'CONFLICT'],
    [429, RateLimitError, 'RATE_LIMITED'],
  ])('maps %i to %o with code %s', (status, kind, code) => {
    const error = httpStatusError(response(status), request)
    expect(error).toBeInstanceOf(kind)
    expect(error.code).toBe(code)
    expect(error.status).toBe(status)
  })

  it('classes 502, 503 and 504 as retryable service unavailability', () => {
    for (const status of [502, 503, 504]) {
      const error = httpStatusError(response(status), request)
      expect([error.code, error.retryable]).toEqual(['SERVICE_UNAVAILABLE', true])
    }
  })

  it('classes other client errors as not retryable', () => {
    const error = httpStatusError(response(400), request)
    expect([error.code, error.retryable]).toEqual(['BAD_REQUEST', false])
  })

  it('carries the Retry-After delay of a 429', () => {
    const error = httpStatusError(response(429, '', { 'retry-after': '7' }), request)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBe(7000)
  })

  it('carries the Retry-After delay of a 503', () => {
    const error = httpStatusError(response(503, '', { 'retry-after': '2' }), request)
    expect([error.code, error.retryAfterMs]).toEqual(['SERVICE_UNAVAILABLE', 2000])
  })

  it('says where the failure happened without the query string', () => {
    const error = httpStatusError(response(500), request)
    expect(error).toMatchObject({ method: 'GET', path: '/api/items/7', operation: 'get', entity: 'Item' })
    expect(error.message).not.toContain('api_key')
  })

  it('keeps a bounded snippet of the body', () => {
    const error = httpStatusError(response(500, 'x'.repeat(5000)), request)
    expect(error.snippet?.length).toBeLessThanOrEqual(513)
  })
})

describe('httpErrors middleware', () => {
  const context = pipelineContext({ system: 'test-system' })

  it('passes successful responses through', async () => {
    const handler = httpErrors()(async <T>() => response(200, { ok: true }) as JunctionResponse<T>, context)
    await expect(handler(request)).resolves.toMatchObject({ status: 200 })
  })

  it('throws the adapter mapping when it recognises the body', async () => {
    const mapped = new JunctionError({ code: 'CUSTOM', message: 'mapped' })
    const handler = httpErrors(() => mapped)(async <T>() => response(400) as JunctionResponse<T>, context)
    await expect(handler(request)).rejects.toBe(mapped)
  })

  it('falls back to the status mapping and names the system', async () => {
    const handler = httpErrors(() => undefined)(async <T>() => response(404) as JunctionResponse<T>, context)
    await expect(handler(request)).rejects.toMatchObject({ code: 'NOT_FOUND', system: 'test-system' })
  })

  it('gives a mapped throttling error the Retry-After and reset time of the response', async () => {
    const mapped = new RateLimitError({ message: 'slow down' })
    const throttled = response(429, '', { 'retry-after': '3', 'x-ratelimit-reset': '1795000000' })
    const handler = httpErrors(() => mapped)(async <T>() => throttled as JunctionResponse<T>, context)
    await expect(handler(request)).rejects.toMatchObject({
      retryAfterMs: 3000,
      resetAt: new Date(1_795_000_000_000),
    })
  })

  it('reads the reset headers it is pointed at', async () => {
    const throttled = response(429, '', { 'x-app-window-reset': '60' })
    const handler = httpErrors(undefined, { resetHeaders: ['x-app-window-reset'] })(
      async <T>() => throttled as JunctionResponse<T>,
      context,
    )
    const error = await handler(request).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).resetAt?.getTime()).toBeGreaterThan(Date.now() + 50_000)
  })

  it('keeps a reset time the adapter mapped itself', async () => {
    const resetAt = new Date(1_800_000_000_000)
    const mapped = new RateLimitError({ message: 'slow down', resetAt })
    const throttled = response(429, '', { 'x-ratelimit-reset': '1795000000' })
    const handler = httpErrors(() => mapped)(async <T>() => throttled as JunctionResponse<T>, context)
    await expect(handler(request)).rejects.toMatchObject({ resetAt })
  })
})
