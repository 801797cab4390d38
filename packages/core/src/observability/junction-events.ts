/** Where an event happened: the connection and the operation it belongs to. */
export interface EventOrigin {
  system: string
  connection: string
  operation?: string | undefined
  entity?: string | undefined
}

/** Every event a connector emits, by name. Listeners must not throw (a throw is logged and dropped). */
export interface JunctionEventMap {
  /** An HTTP request is about to go down the stack (after cache, before retry). */
  'request:start': EventOrigin & { method: string; path: string }
  /** It finished: `status` when a response came back, `errorCode` when it failed. */
  'request:end': EventOrigin & {
    method: string
    path: string
    durationMs: number
    status?: number | undefined
    errorCode?: string | undefined
    retries: number
  }
  /** A retry is scheduled after `delayMs`; `reason` is the error code that caused it. */
  retry: EventOrigin & { attempt: number; delayMs: number; reason: string }
  /** The rate limiter held a call back for `waitMs`. */
  throttle: EventOrigin & { waitMs: number; priority: number }
  /** The circuit breaker changed state; when it opened, `halfOpenAt` says when it lets a probe through. */
  breaker: EventOrigin & {
    key: string
    state: 'open' | 'half-open' | 'closed'
    halfOpenAt?: Date | undefined
  }
  /** The system reported its quota (e.g. `Sforce-Limit-Info`). */
  quota: EventOrigin & { used: number; limit: number; remaining: number; resetAt?: Date | undefined }
  /** The shared (Redis) limiter is unreachable; calls fall back to the local limit. */
  'limiter:degraded': EventOrigin & { reason: string }
  /** The shared limiter is reachable again. */
  'limiter:restored': EventOrigin
  /** A read was answered from the cache (`fresh` or `stale`) or missed it. */
  cache: EventOrigin & { key: string; result: 'fresh' | 'stale' | 'miss' }
}

/** A connector's event name. */
export type JunctionEventName = keyof JunctionEventMap

/** A typed listener for one event. */
export type JunctionListener<E extends JunctionEventName> = (event: JunctionEventMap[E]) => void

/**
 * The typed events of one connector. Emitting with no listeners costs one map lookup; a listener that
 * throws never breaks the request it observes. Listener lists are copied when they change, not when an
 * event is emitted (every request emits), so a listener added or removed during an emit takes effect
 * from the next one, as with `EventEmitter`.
 */
export class JunctionEvents {
  readonly #listeners = new Map<JunctionEventName, ReadonlyArray<(payload: never) => void>>()
  readonly #onListenerError: (error: unknown, event: JunctionEventName) => void

  /** `onListenerError` receives what a listener threw (the connector logs it). */
  constructor(onListenerError: (error: unknown, event: JunctionEventName) => void = () => {}) {
    this.#onListenerError = onListenerError
  }

  /** Subscribes to an event; returns a function that unsubscribes. */
  on<E extends JunctionEventName>(event: E, listener: JunctionListener<E>): () => void {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener])
    let subscribed = true
    return () => {
      if (!subscribed) return
      subscribed = false
      this.#remove(event, listener)
    }
  }

  /** Subscribes for the next occurrence only. */
  once<E extends JunctionEventName>(event: E, listener: JunctionListener<E>): void {
    const off = this.on(event, (payload) => {
      off()
      listener(payload)
    })
  }

  /** Whether anyone listens (to skip building an event nobody reads). */
  has(event: JunctionEventName): boolean {
    return this.#listeners.has(event)
  }

  /** Delivers an event to its listeners, synchronously. */
  emit<E extends JunctionEventName>(event: E, payload: JunctionEventMap[E]): void {
    const listeners = this.#listeners.get(event) as ReadonlyArray<JunctionListener<E>> | undefined
    if (listeners === undefined) return
    for (const listener of listeners) {
      try {
        listener(payload)
      } catch (error) {
        this.#onListenerError(error, event)
      }
    }
  }

  #remove(event: JunctionEventName, listener: (payload: never) => void): void {
    const listeners = this.#listeners.get(event) ?? []
    const index = listeners.lastIndexOf(listener)
    if (index < 0) return
    const rest = listeners.filter((_, at) => at !== index)
    if (rest.length === 0) this.#listeners.delete(event)
    else this.#listeners.set(event, rest)
  }
}
