import { describe, expect, it } from 'vitest'
import { RateLimitError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import { backoffDelay, isThrottle, serverWaitMs } from './backoff-delay.js'

describe('backoffDelay', () => {
  it('waits nothing when the random draw is 0', () => {
    expect(backoffDelay(3, 100, 20_000, () => 0)).toBe(0)
  })

  it('waits the whole window base × 2^retry when the draw is just under 1', () => {
    expect(backoffDelay(0, 100, 20_000, () => 0.9999999)).toBe(100)
    expect(backoffDelay(3, 100, 20_000, () => 0.9999999)).toBe(800)
  })

  it('never waits longer than the cap', () => {
    expect(backoffDelay(20, 100, 20_000, () => 0.9999999)).toBe(20_000)
  })

  it('stays within [0, min(base × 2^retry, cap)] for every draw', () => {
    for (let retry = 0; retry < 12; retry++) {
      const window = Math.min(20_000, 100 * 2 ** retry)
      for (const draw of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.9999999]) {
        const delay = backoffDelay(retry, 100, 20_000, () => draw)
        expect(delay).toBeGreaterThanOrEqual(0)
        expect(delay).toBeLessThanOrEqual(window)
      }
    }
  })

  it('scales with the draw (full jitter, not equal jitter)', () => {
    expect(backoffDelay(2, 100, 20_000, () => 0.5)).toBe(200)
  })
})

describe('serverWaitMs', () => {
  const now = Date.parse('2026-11-24T12:00:00Z')

  it('prefers the Retry-After of the error', () => {
    const error = new RateLimitError({ message: 'slow', retryAfterMs: 2000, resetAt: new Date(now + 9000) })
    expect(serverWaitMs(error, now)).toBe(2000)
  })

  it('falls back to the time until the reset', () => {
    const error = new RateLimitError({ message: 'slow', resetAt: new Date(now + 9000) })
    expect(serverWaitMs(error, now)).toBe(9000)
  })

  it('says nothing when the server said nothing', () => {
    expect(serverWaitMs(new RateLimitError({ message: 'slow' }), now)).toBeUndefined()
  })
})

describe('isThrottle', () => {
  it('recognises a rate-limit error and a bare 429, but not a 503', () => {
    expect(isThrottle(new RateLimitError({ message: 'slow' }))).toBe(true)
    expect(isThrottle(new JunctionError({ code: 'HTTP_ERROR', message: 'x', status: 429 }))).toBe(true)
    expect(isThrottle(new JunctionError({ code: 'SERVICE_UNAVAILABLE', message: 'x', status: 503 }))).toBe(
      false,
    )
  })
})
