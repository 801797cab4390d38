import { describe, expect, it } from 'vitest'
import { QuotaGate } from './quota-gate.js'

const policy = { tightenBelow: 0.2, maxWaitMs: 60_000 }

describe('QuotaGate', () => {
  it('ignores a report that overtook a fresher one', () => {
    const gate = new QuotaGate(policy)
    gate.report({ used: 10, limit: 20 }, 200)
    gate.report({ used: 5, limit: 20 }, 100)
    expect(gate.remaining).toBe(10)
  })

  it('takes lower usage from a newer request, as a rolling window frees calls', () => {
    const gate = new QuotaGate(policy)
    gate.report({ used: 10, limit: 20 }, 100)
    gate.report({ used: 5, limit: 20 }, 200)
    expect(gate.remaining).toBe(15)
  })

  it('counts calls started since the report against the remaining quota', async () => {
    const gate = new QuotaGate(policy)
    gate.report({ used: 10, limit: 100 })
    await gate.admit()
    await gate.admit()
    expect(gate.remaining).toBe(88)
  })

  it('fails with RATE_LIMITED when nothing remains and no reset time is known', async () => {
    const gate = new QuotaGate(policy)
    gate.report({ used: 100, limit: 100 })
    await expect(gate.admit()).rejects.toMatchObject({ code: 'RATE_LIMITED' })
  })
})
