import { describe, expect, it } from 'vitest'
import { RateLimitError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import { retryDelay } from './retry-delay.js'

const settings = { baseMs: 100, throttleBaseMs: 1000, capMs: 20_000, maxWaitMs: 30_000 }
const unavailable = (fields: Partial<ConstructorParameters<typeof JunctionError>[0]> = {}) =>
  new JunctionError({ code: 'SERVICE_UNAVAILABLE', message: '503', status: 503, retryable: true, ...fields })
const nearlyOne = () => 0.9999999

describe('retryDelay', () => {
  it('backs off on the base for a transient failure', () => {
    expect(retryDelay(unavailable(), 1, settings, nearlyOne)).toBe(200)
  })

  it('backs off on the longer throttle base after a throttle without a wait', () => {
    expect(retryDelay(new RateLimitError({ message: 'slow' }), 1, settings, nearlyOne)).toBe(2000)
  })

  it('waits at least what the server asked for', () => {
    const error = new RateLimitError({ message: 'slow', retryAfterMs: 1500 })
    expect(retryDelay(error, 0, settings, () => 0)).toBe(1500)
  })

  it('keeps the backoff when it is longer than the server asked for', () => {
    const error = unavailable({ retryAfterMs: 0 })
    expect(retryDelay(error, 3, settings, nearlyOne)).toBe(800)
  })

  it('fails fast with a RateLimitError carrying the reset time when a throttle asks too long', () => {
    const error = new RateLimitError({ message: 'slow', retryAfterMs: 120_000, status: 429, path: '/x' })
    const before = Date.now()
    const thrown = catchError(() => retryDelay(error, 0, settings))
    expect(thrown).toBeInstanceOf(RateLimitError)
    expect(thrown).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 120_000, status: 429, path: '/x' })
    expect(thrown.resetAt?.getTime()).toBeGreaterThanOrEqual(before + 120_000)
    expect(thrown.cause).toBe(error)
  })

  it('keeps a reset time the system gave when failing fast', () => {
    const resetAt = new Date(Date.now() + 3_600_000)
    const thrown = catchError(() => retryDelay(new RateLimitError({ message: 'slow', resetAt }), 0, settings))
    expect(thrown.resetAt).toEqual(resetAt)
  })

  it('fails fast with the failure itself when a 503 announces a long outage', () => {
    const error = unavailable({ retryAfterMs: 3_600_000 })
    const thrown = catchError(() => retryDelay(error, 0, settings))
    expect(thrown).toBe(error)
    expect(thrown.resetAt).toBeInstanceOf(Date)
  })
})

function catchError(run: () => unknown): JunctionError {
  try {
    run()
  } catch (error) {
    if (error instanceof JunctionError) return error
    throw error
  }
  throw new Error('expected a JunctionError to be thrown')
}
