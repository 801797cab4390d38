import { describe, expect, it } from 'vitest'
import type { JunctionEventMap } from '../observability/junction-events.js'
import { pipelineContext } from '../testing/pipeline-context.js'
import { createLimiter } from './limiter.js'
import { rateLimitHeadersQuota } from './quota-reader.js'
import { limitedStack } from './test-support/limited-stack.js'
import { quotaServer } from './test-support/quota-server.js'

const outcome = (call: Promise<unknown>): Promise<string> =>
  call.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? 'unknown',
  )

describe('quotaMiddleware', () => {
  it('never spends more than the remaining quota the server reports', async () => {
    const context = pipelineContext()
    const server = quotaServer({ limit: 30 })
    const limiter = createLimiter({ quota: { tightenBelow: 0 } }, context)
    const stack = limitedStack({ handlers: [server.handler], limiter, context, quota: rateLimitHeadersQuota })
    const results: string[] = []
    let next = 0
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 60) results.push(await outcome(stack.send(`/api/${next++}`)))
      }),
    )
    expect(server.state.refused).toBe(0)
    expect(server.state.served).toBeLessThanOrEqual(30)
    // At most the 8 calls in flight when the quota ran out are held back by the conservative count.
    expect(server.state.served).toBeGreaterThanOrEqual(22)
    expect(results.filter((result) => result === 'ok')).toHaveLength(server.state.served)
    expect(new Set(results.filter((result) => result !== 'ok'))).toEqual(new Set(['RATE_LIMITED']))
    await stack.close()
  })

  it('fails a call past the quota with RATE_LIMITED carrying the reset time', async () => {
    const context = pipelineContext()
    const server = quotaServer({ limit: 5, used: 4 })
    const limiter = createLimiter({}, context)
    const stack = limitedStack({ handlers: [server.handler], limiter, context, quota: rateLimitHeadersQuota })
    await stack.send('/api/last')
    const error = await stack.send('/api/over').catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'RATE_LIMITED', resetAt: expect.any(Date) })
    expect(server.state.refused).toBe(0)
    await stack.close()
  })

  it('spreads the last of the quota over the time left to the reset', async () => {
    const context = pipelineContext()
    const throttles: number[] = []
    context.events.on('throttle', (event) => throttles.push(event.waitMs))
    const server = quotaServer({ limit: 100, used: 90, resetInMs: 2_000 })
    const limiter = createLimiter({}, context)
    const stack = limitedStack({ handlers: [server.handler], limiter, context, quota: rateLimitHeadersQuota })
    for (const id of ['a', 'b', 'c']) await stack.send(`/api/${id}`)
    // 9 calls left over at least 2 s: one every 200 ms or more.
    expect(throttles.filter((waitMs) => waitMs >= 100)).toHaveLength(2)
    await stack.close()
  })

  it('emits quota with what the server reported', async () => {
    const context = pipelineContext()
    const quotas: Array<JunctionEventMap['quota']> = []
    context.events.on('quota', (event) => quotas.push(event))
    const server = quotaServer({ limit: 50, used: 10 })
    const stack = limitedStack({
      handlers: [server.handler],
      limiter: createLimiter({}, context),
      context,
      quota: rateLimitHeadersQuota,
    })
    await stack.send('/api/one')
    expect(quotas).toEqual([
      expect.objectContaining({
        system: 'test',
        used: 11,
        limit: 50,
        remaining: 39,
        resetAt: expect.any(Date),
      }),
    ])
    await stack.close()
  })

  it("holds every call for a 429's Retry-After", async () => {
    const context = pipelineContext()
    const throttles: number[] = []
    context.events.on('throttle', (event) => throttles.push(event.waitMs))
    const server = quotaServer({ limit: 50 })
    const stack = limitedStack({
      handlers: [server.handler],
      limiter: createLimiter({}, context),
      context,
      quota: rateLimitHeadersQuota,
    })
    stack.simulator.faults.next({ kind: 'rate-limit', retryAfter: 1 })
    await expect(stack.send('/api/throttled')).rejects.toMatchObject({ code: 'RATE_LIMITED' })
    await stack.send('/api/after')
    expect(Math.max(...throttles)).toBeGreaterThanOrEqual(500)
    await stack.close()
  })
})
