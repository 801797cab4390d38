import { describe, expect, it } from 'vitest'
import { ConfigError, RateLimitError, TimeoutError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import { RetryBudget } from './retry-budget.js'

const unavailable = new JunctionError({ code: 'SERVICE_UNAVAILABLE', message: '503', retryable: true })
const timedOut = new TimeoutError({ message: 'slow' })

describe('RetryBudget', () => {
  it('starts full with the AWS standard-mode 500 tokens', () => {
    expect(new RetryBudget().available).toBe(500)
  })

  it('charges 5 tokens for a retry and 10 for a retry after a timeout', () => {
    const budget = new RetryBudget()
    expect(budget.tryAcquire(unavailable)).toBe(5)
    expect(budget.tryAcquire(timedOut)).toBe(10)
    expect(budget.available).toBe(485)
  })

  it('refuses a retry it cannot pay for and takes nothing', () => {
    const budget = new RetryBudget({ capacity: 12 })
    expect(budget.tryAcquire(timedOut)).toBe(10)
    expect(budget.tryAcquire(new RateLimitError({ message: 'slow' }))).toBeUndefined()
    expect(budget.available).toBe(2)
  })

  it('refunds the cost of a retry that succeeded, and 1 for a success without retry', () => {
    const budget = new RetryBudget()
    const cost = budget.tryAcquire(timedOut)
    budget.recordSuccess(cost)
    expect(budget.available).toBe(500)
    budget.tryAcquire(unavailable)
    budget.recordSuccess()
    expect(budget.available).toBe(496)
  })

  it('never fills past its capacity', () => {
    const budget = new RetryBudget({ capacity: 20 })
    budget.recordSuccess()
    budget.recordSuccess(10)
    expect(budget.available).toBe(20)
  })

  it('rejects invalid options with a ConfigError naming the option', () => {
    expect(() => new RetryBudget({ retryCost: 0 })).toThrow(ConfigError)
    expect(() => new RetryBudget({ retryCost: 0 })).toThrow(/retryCost/)
  })
})
