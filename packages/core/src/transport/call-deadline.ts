import { EventEmitter } from 'node:events'

/** Which signal ended a call: the caller's, or the transport's overall deadline. */
export type AbortCause = 'caller' | 'deadline'

function expire(deadline: CallDeadline): void {
  deadline.abort('deadline', new DOMException(`deadline of ${deadline.timeoutMs} ms passed`, 'TimeoutError'))
}

/**
 * The abort signal of one call, handed to undici: it fires on the caller's signal or when the
 * overall deadline passes, whichever comes first, and says which. It is an EventEmitter (undici
 * accepts one as `signal`) with one timer cleared when the call ends, rather than
 * `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: that costs an EventTarget per call, leaves
 * a live timer per call until it fires (a minute of timers at thousands of calls a second), and
 * does not tell a deadline from a caller's abort.
 */
export class CallDeadline extends EventEmitter {
  /** Read by undici, as on an AbortSignal. */
  aborted = false
  /** Read by undici, as on an AbortSignal: what the request is rejected with. */
  reason: unknown = undefined
  #cause: AbortCause | undefined = undefined
  #undiciListener: (() => void) | undefined = undefined
  #timer: NodeJS.Timeout | undefined = undefined
  readonly #caller: AbortSignal | undefined
  readonly #onCallerAbort: (() => void) | undefined

  constructor(
    caller: AbortSignal | undefined,
    readonly timeoutMs: number,
  ) {
    super()
    this.#caller = caller
    if (caller?.aborted) {
      this.abort('caller', caller.reason)
      return
    }
    if (caller !== undefined) {
      this.#onCallerAbort = () => this.abort('caller', caller.reason)
      caller.addEventListener('abort', this.#onCallerAbort, { once: true })
    }
    this.#timer = setTimeout(expire, timeoutMs, this)
  }

  // undici subscribes one 'abort' listener per request with `once` and drops it with
  // `removeListener`; holding it in a slot skips EventEmitter's once-wrapper and listener list,
  // which measured about 2% of a loopback call.
  /** Subscribes to 'abort' once (as on any EventEmitter). */
  override once(eventName: string | symbol, listener: (...args: unknown[]) => void): this {
    if (eventName !== 'abort' || this.#undiciListener !== undefined) return super.once(eventName, listener)
    this.#undiciListener = listener
    return this
  }

  /** Unsubscribes a listener (as on any EventEmitter). */
  override removeListener(eventName: string | symbol, listener: (...args: unknown[]) => void): this {
    if (eventName === 'abort' && listener === this.#undiciListener) {
      this.#undiciListener = undefined
      return this
    }
    return super.removeListener(eventName, listener)
  }

  /** Unsubscribes a listener (as on any EventEmitter). */
  override off(eventName: string | symbol, listener: (...args: unknown[]) => void): this {
    return this.removeListener(eventName, listener)
  }

  /** What ended the call, if a signal did. */
  get cause(): AbortCause | undefined {
    return this.#cause
  }

  /** The caller's abort reason, when the caller ended the call. */
  get callerReason(): unknown {
    return this.#cause === 'caller' ? this.#caller?.reason : undefined
  }

  /** Ends the call now (undici rejects the request, or errors its body, with `reason`). */
  abort(cause: AbortCause, reason: unknown): void {
    if (this.aborted) return
    this.clear()
    this.#cause = cause
    this.aborted = true
    this.reason = reason
    const listener = this.#undiciListener
    this.#undiciListener = undefined
    listener?.()
    this.emit('abort')
  }

  /** Stops the timer and forgets the caller's signal; call once the call has ended either way. */
  clear(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
    if (this.#onCallerAbort !== undefined) this.#caller?.removeEventListener('abort', this.#onCallerAbort)
  }
}
