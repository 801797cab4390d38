/**
 * A child process for the shared-budget tests and benchmark: takes from one shared budget as fast
 * as it can for `durationMs` after the parent writes a line to stdin, then prints, as one JSON line,
 * how many calls it was granted in each window (`shared`) and how many the local fallback granted.
 * Arguments: redisUrl key budget windowMs durationMs.
 */
import { silentLogger } from '../../logging/logger.js'
import { JunctionEvents } from '../../observability/junction-events.js'
import { sharedBudgetOptionsSchema } from '../limits-options.js'
import { sharedBudget } from '../shared-budget.js'

const [url = '', key = '', budget = '0', windowMs = '0', durationMs = '0'] = process.argv.slice(2)
const CALLERS = 16

const limit = sharedBudget(
  sharedBudgetOptionsSchema.parse({ redis: url, key, budget: Number(budget), windowMs: Number(windowMs) }),
  { system: 'worker', connection: 'worker', events: new JunctionEvents(), logger: silentLogger },
)
const windows: Record<number, number> = {}
let local = 0
let running = true

// One warm-up take connects to Redis before the parent starts the clock.
await limit.take(5)
process.stdout.write('ready\n')
await new Promise((resolve) => process.stdin.once('data', resolve))
setTimeout(() => {
  running = false
}, Number(durationMs))
await Promise.all(
  Array.from({ length: CALLERS }, async () => {
    while (running) {
      const grant = await limit.take(5)
      if (!running) break
      if (grant.source === 'local') local += 1
      else windows[grant.window] = (windows[grant.window] ?? 0) + 1
    }
  }),
)
process.stdout.write(`${JSON.stringify({ windows, local })}\n`)
await limit.close()
process.exit(0)
