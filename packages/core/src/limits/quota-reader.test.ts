import { describe, expect, it } from 'vitest'
import type { JunctionResponse } from '../pipeline/request.js'
import { rateLimitHeadersQuota, salesforceQuota } from './quota-reader.js'

const response = (headers: Record<string, string>, status = 200): JunctionResponse => ({
  status,
  headers,
  body: undefined,
  url: 'https://example.test/',
})

describe('salesforceQuota', () => {
  it('reads used and limit from Sforce-Limit-Info', () => {
    expect(salesforceQuota(response({ 'sforce-limit-info': 'api-usage=10018/100000' }))).toEqual({
      used: 10018,
      limit: 100000,
      remaining: 89982,
    })
  })

  it('ignores the per-app part and reads the org usage', () => {
    const header = 'api-usage=25/15000, per-app-api-usage=2/250(appName=sample)'
    expect(salesforceQuota(response({ 'sforce-limit-info': header }))).toMatchObject({
      used: 25,
      limit: 15000,
    })
  })

  it('returns undefined when the header is absent', () => {
    expect(salesforceQuota(response({}))).toBeUndefined()
  })
})

describe('rateLimitHeadersQuota', () => {
  it('reads limit, remaining and an epoch-seconds reset', () => {
    const quota = rateLimitHeadersQuota(
      response({
        'x-ratelimit-limit': '1000',
        'x-ratelimit-remaining': '250',
        'x-ratelimit-reset': '1893456000',
      }),
    )
    expect(quota).toEqual({ used: 750, limit: 1000, remaining: 250, resetAt: new Date(1_893_456_000_000) })
  })

  it('reads a small reset as seconds from now', () => {
    const before = Date.now()
    const quota = rateLimitHeadersQuota(
      response({ 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': '60' }),
    )
    expect(quota?.resetAt?.getTime()).toBeGreaterThanOrEqual(before + 60_000)
  })

  it('treats a ServiceNow 429 without Remaining as nothing left', () => {
    const quota = rateLimitHeadersQuota(
      response({ 'x-ratelimit-limit': '500', 'x-ratelimit-reset': '1893456000' }, 429),
    )
    expect(quota).toMatchObject({ used: 500, limit: 500, remaining: 0 })
  })

  it('returns undefined for a success without Remaining', () => {
    expect(rateLimitHeadersQuota(response({ 'x-ratelimit-limit': '500' }))).toBeUndefined()
  })
})
