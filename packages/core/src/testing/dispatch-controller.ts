import { type Dispatcher, errors } from 'undici'

/** What the controller tells the exchange that owns it. */
export interface DispatchControllerEvents {
  onAbort(reason: Error): void
  onResume(): void
}

/**
 * The controller an in-process exchange hands to undici's new-style handler callbacks: the
 * handler pauses, resumes or aborts the response through it, as it would a socket-backed one.
 */
export class BridgeController implements Dispatcher.DispatchController {
  #paused = false
  #reason: Error | null = null
  readonly #events: DispatchControllerEvents

  constructor(events: DispatchControllerEvents) {
    this.#events = events
  }

  get aborted(): boolean {
    return this.#reason !== null
  }

  get paused(): boolean {
    return this.#paused
  }

  get reason(): Error | null {
    return this.#reason
  }

  abort(reason?: Error): void {
    if (this.#reason !== null) return
    this.#reason = reason ?? new errors.RequestAbortedError()
    this.#events.onAbort(this.#reason)
  }

  pause(): void {
    this.#paused = true
  }

  resume(): void {
    if (!this.#paused) return
    this.#paused = false
    this.#events.onResume()
  }
}
