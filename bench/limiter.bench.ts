/**
 * Rate limiter benchmark: what scheduling a call costs, and how exactly a fleet shares one budget.
 * - local: `createLimiter({ maxConcurrent })` (bottleneck's queue) and `createLimiter({})` (no local
 *   limit: the queue is skipped) against calling the same async function directly;
 * - shared: the Redis budget (one Lua script per round trip) with one caller and with 64 at once;
 * - fleet: 4 child processes taking from one budget; share of the budget used in the windows they all
 *   ran through, and the worst overshoot of any window.
 * Needs Redis at REDIS_URL (default redis://127.0.0.1:6379). Progress goes to stderr; the last stdout
 * line is one JSON result.
 */
import { randomUUID } from 'node:crypto'
import { createLimiter } from '../packages/core/src/limits/limiter.js'
import { sharedBudgetOptionsSchema } from '../packages/core/src/limits/limits-options.js'
import { sharedBudget } from '../packages/core/src/limits/shared-budget.js'
import { runBudgetWorkers } from '../packages/core/src/limits/test-support/run-budget-workers.js'
import { pipelineContext } from '../packages/core/src/testing/pipeline-context.js'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const LOCAL_CALLS = 20_000
// Fewer calls through the bottleneck queue: even with its yields unclamped it costs ~0.1 ms a call.
const QUEUE_CALLS = 10_000
const SHARED_CALLS = 4_000
const CONCURRENCY = 64
const FLEET = { count: 4, budget: 50, windowMs: 500, durationMs: 4_000 }

const work = async (): Promise<number> => 1

async function timed(calls: number, concurrency: number, call: () => Promise<unknown>): Promise<number> {
  let remaining = calls
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (remaining > 0) {
        remaining--
        await call()
      }
    }),
  )
  return ((performance.now() - started) * 1000) / calls
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits))

async function main(): Promise<void> {
  const context = pipelineContext({ system: 'bench', connection: 'bench' })
  const queued = createLimiter({ maxConcurrent: 1_000 }, context)
  const unlimited = createLimiter({}, context)
  const request = {}

  // Warm-up, then best of three (other processes share this machine).
  const best = async (calls: number, concurrency: number, call: () => Promise<unknown>) => {
    await timed(calls / 4, concurrency, call)
    return Math.min(
      await timed(calls, concurrency, call),
      await timed(calls, concurrency, call),
      await timed(calls, concurrency, call),
    )
  }
  const direct = await best(LOCAL_CALLS, CONCURRENCY, work)
  const viaQueue = await best(QUEUE_CALLS, CONCURRENCY, () => queued.schedule(request, work))
  const viaUnlimited = await best(LOCAL_CALLS, CONCURRENCY, () => unlimited.schedule(request, work))
  process.stderr.write(
    `local: direct ${round(direct)} µs/call, bottleneck ${round(viaQueue)} µs/call, no local limit ${round(viaUnlimited)} µs/call\n`,
  )
  await queued.close()
  await unlimited.close()

  const budget = sharedBudget(
    sharedBudgetOptionsSchema.parse({
      redis: REDIS_URL,
      key: `bench:${randomUUID()}`,
      budget: 1_000_000_000,
      windowMs: 3_600_000,
    }),
    context,
  )
  const sharedSerial = await best(SHARED_CALLS / 4, 1, () => budget.take(5))
  const sharedConcurrent = await best(SHARED_CALLS, CONCURRENCY, () => budget.take(5))
  await budget.close()
  process.stderr.write(
    `shared: one caller ${round(sharedSerial)} µs/call, ${CONCURRENCY} callers ${round(sharedConcurrent)} µs/call\n`,
  )

  const fleet = await runBudgetWorkers({ ...FLEET, url: REDIS_URL, key: `bench:${randomUUID()}` })
  const used = fleet.fullWindows.reduce((sum, window) => sum + (fleet.perWindow.get(window) ?? 0), 0)
  const share = used / (FLEET.budget * fleet.fullWindows.length)
  const worst = Math.max(...[...fleet.perWindow.values()].map((granted) => granted - FLEET.budget))
  process.stderr.write(
    `fleet: ${FLEET.count} processes, budget ${FLEET.budget}/${FLEET.windowMs} ms, ${fleet.fullWindows.length} full windows, ` +
      `used ${round(share * 100, 1)}%, worst overshoot ${Math.max(0, worst)}, per process ${fleet.perWorker.join('/')}\n`,
  )

  console.log(
    JSON.stringify({
      bench: 'limiter',
      local_direct_us: round(direct),
      local_bottleneck_added_us: round(viaQueue - direct),
      local_unlimited_added_us: round(viaUnlimited - direct),
      shared_serial_us: round(sharedSerial),
      shared_concurrent_us: round(sharedConcurrent),
      fleet_processes: FLEET.count,
      fleet_budget_used: round(share, 4),
      fleet_worst_overshoot: Math.max(0, worst),
      fleet_windows: fleet.fullWindows.length,
    }),
  )
}

await main()
