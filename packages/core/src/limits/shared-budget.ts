import { Redis } from 'ioredis'
import { JunctionError } from '../errors/junction-error.js'
import { abortedWhileQueued } from './abort-error.js'
import { FixedWindow, type WindowTake } from './fixed-window.js'
import type { LimiterContext } from './limiter-context.js'
import type { SharedBudgetOptions } from './limits-options.js'

/**
 * A fixed window counted on the Redis server, atomically: the server's clock picks the window (so
 * processes with skewed clocks agree), and a take never grants more than the window has left.
 * One hash key holds `{ w: window, n: used }`, so the script touches only the key it declares.
 * Returns `{ granted, window, msUntilNextWindow }`.
 */
const TAKE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local budget = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local window = math.floor(now / windowMs)
local state = redis.call('HMGET', KEYS[1], 'w', 'n')
local used = 0
if tonumber(state[1]) == window then used = tonumber(state[2]) or 0 end
local granted = math.max(0, math.min(want, budget - used))
if granted > 0 then
  redis.call('HSET', KEYS[1], 'w', window, 'n', used + granted)
  redis.call('PEXPIRE', KEYS[1], windowMs * 2)
end
return { granted, window, (window + 1) * windowMs - now }
`

// Calls granted per round trip at most; a round trip serves every waiter queued by then.
const MAX_TAKE = 256
// While degraded, Redis is tried again at most this often.
const PROBE_INTERVAL_MS = 1_000

/** One call's permission from the budget: the window it counts against and who granted it. */
export interface BudgetGrant {
  window: number
  /** `shared` from Redis; `local` from this process's fallback window while Redis is away. */
  source: 'shared' | 'local'
}

/** A call budget shared by every process that uses the same Redis key. */
export interface SharedBudget {
  /** Waits for one call's share; lower `priority` goes first (0–9). Never rejects for Redis failures. */
  take(priority: number, signal?: AbortSignal): Promise<BudgetGrant>
  /** Whether calls are currently counted locally because Redis is unreachable. */
  readonly degraded: boolean
  /** Rejects pending takes and closes the Redis connection if the budget opened it. */
  close(): Promise<void>
}

interface Waiter {
  priority: number
  order: number
  resolve(grant: BudgetGrant): void
  reject(error: unknown): void
  signal: AbortSignal | undefined
  onAbort: () => void
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error)

/**
 * Creates a budget of `options.budget` calls per `options.windowMs` shared through Redis with one
 * atomic Lua script. Waiters queue in this process by priority; one round trip grants as many as the
 * window allows. When Redis is unreachable, slow or refuses the script, the budget counts locally
 * (`fallbackBudget` per window), emits `limiter:degraded`, and `limiter:restored` when Redis answers again.
 */
export function sharedBudget(options: SharedBudgetOptions, context: LimiterContext): SharedBudget {
  return new RedisBudget(options, context)
}

class RedisBudget implements SharedBudget {
  // One process takes at most a tenth of a window per round trip, so when a window opens the other
  // processes' requests interleave instead of one busy process taking it whole (starvation, seen with
  // 4 processes racing for a 40-call window).
  readonly #fairShare: number
  readonly #options: SharedBudgetOptions
  readonly #context: LimiterContext
  readonly #client: Redis
  readonly #ownsClient: boolean
  readonly #key: string
  readonly #local: FixedWindow
  readonly #waiters: Waiter[] = []
  #order = 0
  #pumping = false
  #closed = false
  #degraded = false
  #everReady = false
  #nextProbeAt = 0
  #sleep: { timer: NodeJS.Timeout; wake: () => void } | undefined

  constructor(options: SharedBudgetOptions, context: LimiterContext) {
    this.#options = options
    this.#context = context
    this.#key = `${options.keyPrefix}${options.key}`
    this.#fairShare = Math.max(1, Math.ceil(options.budget / 10))
    this.#local = new FixedWindow(options.fallbackBudget ?? options.budget, options.windowMs)
    if (typeof options.redis === 'string') {
      // Fail fast instead of queueing commands while disconnected: the local limit takes over.
      this.#client = new Redis(options.redis, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: Math.max(1_000, options.commandTimeoutMs),
        retryStrategy: (times) => Math.min(times * 100, 2_000),
      })
      // Outages are reported as limiter events; without a listener ioredis prints each error.
      this.#client.on('error', () => undefined)
      this.#ownsClient = true
    } else {
      this.#client = options.redis
      this.#ownsClient = false
    }
  }

  get degraded(): boolean {
    return this.#degraded
  }

  take(priority: number, signal?: AbortSignal): Promise<BudgetGrant> {
    if (this.#closed) return Promise.reject(closedError())
    if (signal?.aborted) return Promise.reject(abortedWhileQueued(signal))
    return new Promise<BudgetGrant>((resolve, reject) => {
      const waiter: Waiter = {
        priority,
        order: this.#order++,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#remove(waiter)
          reject(abortedWhileQueued(signal))
        },
      }
      signal?.addEventListener('abort', waiter.onAbort, { once: true })
      this.#insert(waiter)
      void this.#pump()
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#wake()
    for (const waiter of this.#waiters.splice(0)) this.#settle(waiter).reject(closedError())
    if (this.#ownsClient) this.#client.disconnect()
  }

  #insert(waiter: Waiter): void {
    // Stable: after every waiter of the same or a more urgent priority.
    let index = this.#waiters.length
    while (index > 0 && (this.#waiters[index - 1]?.priority ?? 0) > waiter.priority) index--
    this.#waiters.splice(index, 0, waiter)
  }

  #remove(waiter: Waiter): void {
    const index = this.#waiters.indexOf(waiter)
    if (index >= 0) this.#waiters.splice(index, 1)
  }

  #settle(waiter: Waiter): Waiter {
    waiter.signal?.removeEventListener('abort', waiter.onAbort)
    return waiter
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return
    this.#pumping = true
    try {
      while (this.#waiters.length > 0 && !this.#closed) {
        const want = Math.min(this.#waiters.length, MAX_TAKE, this.#fairShare)
        const { take, source } = await this.#take(want)
        // Waiters that aborted during the round trip leave their grants unused: counted, never overspent.
        for (let granted = 0; granted < take.granted; granted++) {
          const waiter = this.#waiters.shift()
          if (waiter === undefined) break
          this.#settle(waiter).resolve({ window: take.window, source })
        }
        if (take.granted < want) {
          // While degraded, wake in time to try Redis again rather than sleeping out a long local window.
          const waitMs = source === 'local' ? Math.min(take.waitMs, PROBE_INTERVAL_MS) : take.waitMs
          await this.#sleepFor(waitMs + Math.random() * 5)
        }
      }
    } finally {
      this.#pumping = false
    }
  }

  async #take(want: number): Promise<{ take: WindowTake; source: BudgetGrant['source'] }> {
    const now = Date.now()
    if (this.#degraded && now < this.#nextProbeAt) return { take: this.#local.take(want), source: 'local' }
    if (!this.#everReady && this.#client.status !== 'ready') await this.#readyWithin()
    if (this.#client.status !== 'ready')
      return this.#fallBack(want, `redis connection is ${this.#client.status}`)
    try {
      const reply = await this.#withTimeout(
        this.#client.eval(TAKE_SCRIPT, 1, this.#key, this.#options.budget, this.#options.windowMs, want),
      )
      const take = parseReply(reply)
      this.#everReady = true
      if (this.#degraded) this.#restore()
      return { take, source: 'shared' }
    } catch (error) {
      return this.#fallBack(want, describe(error))
    }
  }

  #fallBack(want: number, reason: string): { take: WindowTake; source: 'local' } {
    this.#nextProbeAt = Date.now() + PROBE_INTERVAL_MS
    if (!this.#degraded) {
      this.#degraded = true
      const { system, connection } = this.#context
      this.#context.logger.warn(
        { system, connection, key: this.#options.key, reason },
        'shared rate limit unavailable; using the local limit',
      )
      this.#context.events.emit('limiter:degraded', { system, connection, reason })
    }
    return { take: this.#local.take(want), source: 'local' }
  }

  #restore(): void {
    this.#degraded = false
    const { system, connection } = this.#context
    this.#context.logger.info({ system, connection, key: this.#options.key }, 'shared rate limit restored')
    this.#context.events.emit('limiter:restored', { system, connection })
  }

  #readyWithin(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.#client.off('ready', done)
        resolve()
      }
      const timer = setTimeout(done, this.#options.commandTimeoutMs)
      this.#client.once('ready', done)
    })
  }

  #withTimeout<T>(call: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.#options.commandTimeoutMs} ms`)),
        this.#options.commandTimeoutMs,
      )
    })
    // A command that loses the race may still reject later (e.g. "Connection is closed" once Redis has
    // gone): observe it so it never surfaces as an unhandled rejection.
    call.catch(() => undefined)
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer))
  }

  #sleepFor(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        this.#sleep = undefined
        resolve()
      }
      const timer = setTimeout(wake, ms)
      this.#sleep = { timer, wake }
    })
  }

  #wake(): void {
    this.#sleep?.wake()
  }
}

function parseReply(reply: unknown): WindowTake {
  if (!Array.isArray(reply) || reply.length !== 3 || !reply.every((item) => typeof item === 'number')) {
    throw new Error('unexpected reply from the rate-limit script')
  }
  const [granted, window, waitMs] = reply as [number, number, number]
  return { granted, window, waitMs }
}

function closedError(): JunctionError {
  return new JunctionError({ code: 'LIMITER_CLOSED', message: 'the rate limiter was closed' })
}
