/** What a fixed-window counter answered: how many calls it granted and when the window ends. */
export interface WindowTake {
  granted: number
  /** The window's index: milliseconds since the epoch divided by the window length. */
  window: number
  /** Milliseconds until the next window. */
  waitMs: number
}

/**
 * An in-process fixed-window counter: the local stand-in for the shared budget while Redis is away.
 * It mirrors the Redis script exactly (same windows, same grant rule) on this process's clock.
 */
export class FixedWindow {
  readonly #budget: number
  readonly #windowMs: number
  #window = -1
  #used = 0

  constructor(budget: number, windowMs: number) {
    this.#budget = budget
    this.#windowMs = windowMs
  }

  /** Grants up to `want` calls from the current window. */
  take(want: number, now: number = Date.now()): WindowTake {
    const window = Math.floor(now / this.#windowMs)
    if (window !== this.#window) {
      this.#window = window
      this.#used = 0
    }
    const granted = Math.max(0, Math.min(want, this.#budget - this.#used))
    this.#used += granted
    return { granted, window, waitMs: (window + 1) * this.#windowMs - now }
  }
}
