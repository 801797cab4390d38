import { describe, expect, it } from 'vitest'
import { transportOptionsSchema } from './transport-options.js'

describe('transportOptionsSchema', () => {
  it('fills in the documented defaults', () => {
    expect(transportOptionsSchema.parse({})).toEqual({
      connectTimeoutMs: 10_000,
      headersTimeoutMs: 30_000,
      bodyTimeoutMs: 30_000,
      timeoutMs: 60_000,
      maxResponseBytes: 64 * 1024 * 1024,
      proxy: 'env',
      decompress: true,
      userAgent: 'junction',
    })
  })

  it('accepts its own output, so a parsed config can be passed on', () => {
    const parsed = transportOptionsSchema.parse({ proxy: 'http://proxy.internal:3128', tls: { ca: 'PEM' } })
    expect(transportOptionsSchema.parse(parsed)).toEqual(parsed)
  })

  it('rejects an unknown key', () => {
    expect(transportOptionsSchema.safeParse({ headersTimeout: 5 }).success).toBe(false)
  })
})
