import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { pipelineContext } from '../testing/pipeline-context.js'
import { requireService } from '../testing/require-service.js'
import { sharedBudgetOptionsSchema } from './limits-options.js'
import { sharedBudget } from './shared-budget.js'
import { runBudgetWorkers } from './test-support/run-budget-workers.js'

const redis = await requireService('redis')

const BUDGET = 40
const WINDOW_MS = 500

describe.skipIf(redis.skip)('sharedBudget across processes', () => {
  it.each([2, 4])(
    'lets %i processes together never exceed the budget and use at least 95% of it',
    async (count) => {
      const fleet = await runBudgetWorkers({
        count,
        url: redis.url,
        key: `junction-test:${randomUUID()}`,
        budget: BUDGET,
        windowMs: WINDOW_MS,
        durationMs: 3_000,
      })
      expect(fleet.local).toBe(0)
      expect(Math.max(...fleet.perWindow.values())).toBeLessThanOrEqual(BUDGET)
      expect(fleet.fullWindows.length).toBeGreaterThanOrEqual(2)
      const used = fleet.fullWindows.reduce((sum, window) => sum + (fleet.perWindow.get(window) ?? 0), 0)
      expect(used / (BUDGET * fleet.fullWindows.length)).toBeGreaterThanOrEqual(0.95)
      expect(fleet.perWorker.every((granted) => granted > 0)).toBe(true)
    },
  )
})

describe.skipIf(redis.skip)('sharedBudget', () => {
  it('grants no more than the budget per window and leaves a given client open on close', async () => {
    const client = new Redis(redis.url)
    const budget = sharedBudget(
      sharedBudgetOptionsSchema.parse({
        redis: client,
        key: `junction-test:${randomUUID()}`,
        budget: 3,
        windowMs: 3_600_000,
      }),
      pipelineContext(),
    )
    const grants = await Promise.all([budget.take(5), budget.take(5), budget.take(5)])
    expect(grants.map((grant) => grant.source)).toEqual(['shared', 'shared', 'shared'])
    const controller = new AbortController()
    const fourth = budget.take(5, controller.signal)
    controller.abort()
    await expect(fourth).rejects.toMatchObject({ code: 'ABORTED' })
    await budget.close()
    expect(await client.ping()).toBe('PONG')
    await client.quit()
  })
})
