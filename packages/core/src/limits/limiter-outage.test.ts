import { describe, expect, it, onTestFinished } from 'vitest'
import type { JunctionEventMap } from '../observability/junction-events.js'
import { pipelineContext } from '../testing/pipeline-context.js'
import { requireService } from '../testing/require-service.js'
import { createLimiter } from './limiter.js'
import { eventually, gatedWork } from './test-support/gated-handlers.js'
import { limitedStack } from './test-support/limited-stack.js'
import { ownRedis } from './test-support/own-redis.js'

// Guarded like every Redis test; it runs a redis-server of its own so that it can stop it.
const redisAvailable = await requireService('redis')

describe.skipIf(redisAvailable.skip)('createLimiter when Redis goes away', () => {
  it('falls back to the local limit while Redis is down and returns to the shared budget when it is back', async () => {
    const redis = await ownRedis()
    const context = pipelineContext()
    const degraded: Array<JunctionEventMap['limiter:degraded']> = []
    let restored = 0
    context.events.on('limiter:degraded', (event) => degraded.push(event))
    context.events.on('limiter:restored', () => {
      restored += 1
    })
    const work = gatedWork()
    work.release()
    // An hour-long window: the fallback's 5 calls cannot renew during the test.
    const limiter = createLimiter(
      { shared: { redis: redis.url, key: 'outage', budget: 1_000, windowMs: 3_600_000, fallbackBudget: 5 } },
      context,
    )
    const stack = limitedStack({ handlers: [work.handler], limiter, context })
    // Runs even when the test times out, so no redis-server is left behind.
    onTestFinished(async () => {
      await stack.close()
      await redis.stop()
    })
    await Promise.all(Array.from({ length: 10 }, (_, index) => stack.send(`/work/shared-${index}`)))
    expect(degraded).toEqual([])

    await redis.stop()
    const controller = new AbortController()
    const local = Array.from({ length: 8 }, (_, index) =>
      stack.send(`/work/local-${index}`, { signal: controller.signal }).then(
        () => 'sent',
        (error: { code?: string }) => error.code,
      ),
    )
    await eventually(() => work.state.arrivals.filter((id) => id.startsWith('local-')).length === 5)
    await new Promise((resolve) => setTimeout(resolve, 100))
    controller.abort()
    expect(await Promise.all(local)).toEqual([...Array(5).fill('sent'), ...Array(3).fill('ABORTED')])
    expect(degraded).toHaveLength(1)
    expect(degraded[0]).toMatchObject({ system: 'test', connection: 'test' })
    expect(limiter.degraded).toBe(true)

    // The local window is spent, so this call waits until Redis (restarted empty) answers again.
    await redis.start()
    await stack.send('/work/after-restart')
    expect(restored).toBe(1)
    expect(limiter.degraded).toBe(false)
  })
})
