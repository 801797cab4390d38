/** Which signal ended a call: the caller's, or the transport's overall deadline. */
export type AbortCause = 'caller' | 'deadline'

/**
 * One abort signal per call that fires on the caller's signal or when the overall deadline passes,
 * whichever comes first. A timer and a listener, both cleared when the call ends, rather than
 * `AbortSignal.timeout` + `AbortSignal.any`: those leave a live timer per call until it fires
 * (a minute of timers at thousands of calls a second) and do not say which of the two fired.
 */
export class CallDeadline {
  readonly #controller = new AbortController()
  readonly #caller: AbortSignal | undefined
  readonly #timer: NodeJS.Timeout | undefined
  #cause: AbortCause | undefined

  constructor(
    caller: AbortSignal | undefined,
    readonly timeoutMs: number,
  ) {
    this.#caller = caller
    if (caller?.aborted) {
      this.#cause = 'caller'
      this.#controller.abort(caller.reason)
      return
    }
    caller?.addEventListener('abort', this.#onCallerAbort)
    this.#timer = setTimeout(this.#onDeadline, timeoutMs)
    this.#timer.unref()
  }

  /** The signal to hand to undici. */
  get signal(): AbortSignal {
    return this.#controller.signal
  }

  /** What ended the call, if a signal did. */
  get cause(): AbortCause | undefined {
    return this.#cause
  }

  /** The caller's abort reason, when the caller ended the call. */
  get callerReason(): unknown {
    return this.#cause === 'caller' ? this.#caller?.reason : undefined
  }

  /** Stops the timer and forgets the caller's signal; call once the call has ended either way. */
  clear(): void {
    clearTimeout(this.#timer)
    this.#caller?.removeEventListener('abort', this.#onCallerAbort)
  }

  readonly #onCallerAbort = (): void => {
    this.#cause ??= 'caller'
    this.clear()
    this.#controller.abort(this.#caller?.reason)
  }

  readonly #onDeadline = (): void => {
    this.#cause ??= 'deadline'
    this.clear()
    this.#controller.abort(new DOMException(`deadline of ${this.timeoutMs} ms passed`, 'TimeoutError'))
  }
}
