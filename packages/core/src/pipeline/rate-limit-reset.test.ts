import { describe, expect, it } from 'vitest'
import { parseRateLimitReset } from './rate-limit-reset.js'

const now = Date.parse('2026-11-24T12:00:00Z')

describe('parseRateLimitReset', () => {
  it('reads a small number as seconds from now', () => {
    expect(parseRateLimitReset('30', now)).toEqual(new Date(now + 30_000))
  })

  it('reads a Unix time in seconds as a moment', () => {
    expect(parseRateLimitReset('1795000000', now)).toEqual(new Date(1_795_000_000_000))
  })

  it('reads a Unix time in milliseconds as a moment', () => {
    expect(parseRateLimitReset('1795000000123', now)).toEqual(new Date(1_795_000_000_123))
  })

  it('reads an HTTP-date', () => {
    expect(parseRateLimitReset('Tue, 24 Nov 2026 12:01:00 GMT', now)).toEqual(new Date(now + 60_000))
  })

  it('returns undefined for a missing or unreadable value', () => {
    expect(parseRateLimitReset(undefined, now)).toBeUndefined()
    expect(parseRateLimitReset('soon', now)).toBeUndefined()
  })
})
