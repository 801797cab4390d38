import type { RequestHandler } from 'msw'
import { Dispatcher, errors } from 'undici'
import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { MswExchange } from './msw-exchange.js'

/** undici's own default for both timeouts: 300 seconds. */
const UNDICI_DEFAULT_TIMEOUT_MS = 300_000

const optionsSchema = z.object({
  onUnhandledRequest: z
    .custom<Dispatcher>(
      (value) => typeof value === 'object' && value !== null && 'dispatch' in value,
      'must be an undici Dispatcher',
    )
    .optional(),
  headersTimeout: z.number().int().nonnegative().optional(),
  bodyTimeout: z.number().int().nonnegative().optional(),
})

/** Options for {@link mswDispatcher}. */
export interface MswDispatcherOptions {
  /** A real dispatcher (e.g. an undici `Agent`) that gets what no handler answers; by default such a request fails. */
  onUnhandledRequest?: Dispatcher | undefined
  /** Milliseconds to wait for a handler's response (a dispatch's own `headersTimeout` wins); 0 waits forever. */
  headersTimeout?: number | undefined
  /** Milliseconds to wait between body chunks (a dispatch's own `bodyTimeout` wins); 0 waits forever. */
  bodyTimeout?: number | undefined
}

/**
 * An undici `Dispatcher` that answers every request in-process from msw handlers, with no socket:
 * msw alone never sees undici's own requests. Unanswered requests fail with a `TransportError`
 * (`CONNECTION_FAILED`) unless `onUnhandledRequest` is set; redirects are returned, not followed.
 */
export class MswDispatcher extends Dispatcher {
  readonly #handlers: readonly RequestHandler[]
  readonly #options: MswDispatcherOptions
  readonly #inFlight = new Set<MswExchange>()
  #closed = false
  #destroyed = false

  constructor(handlers: readonly RequestHandler[], options: MswDispatcherOptions = {}) {
    super()
    this.#handlers = handlers
    this.#options = parseOptions(optionsSchema, options, 'mswDispatcher')
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const exchange = new MswExchange(options, handler, {
      handlers: this.#handlers,
      headersTimeout: this.#options.headersTimeout ?? UNDICI_DEFAULT_TIMEOUT_MS,
      bodyTimeout: this.#options.bodyTimeout ?? UNDICI_DEFAULT_TIMEOUT_MS,
      fallback: this.#options.onUnhandledRequest,
    })
    if (this.#closed) {
      exchange.fail(this.#destroyed ? new errors.ClientDestroyedError() : new errors.ClientClosedError())
      return false
    }
    this.#inFlight.add(exchange)
    void exchange.settled.then(() => this.#inFlight.delete(exchange))
    void exchange.run()
    return true
  }

  /** Refuses new requests and resolves once those in flight have finished. */
  override close(): Promise<void>
  override close(callback: () => void): void
  override close(callback?: () => void): Promise<void> | undefined {
    this.#closed = true
    return settle(this.#drained(), callback)
  }

  /** Fails the requests in flight (with `error`, or undici's `ClientDestroyedError`) and refuses new ones. */
  override destroy(): Promise<void>
  override destroy(error: Error | null): Promise<void>
  override destroy(callback: () => void): void
  override destroy(error: Error | null, callback: () => void): void
  override destroy(
    errorOrCallback?: Error | null | (() => void),
    callback?: () => void,
  ): Promise<void> | undefined {
    const error = typeof errorOrCallback === 'function' ? null : errorOrCallback
    this.#closed = true
    this.#destroyed = true
    for (const exchange of this.#inFlight) exchange.fail(error ?? new errors.ClientDestroyedError())
    return settle(this.#drained(), typeof errorOrCallback === 'function' ? errorOrCallback : callback)
  }

  async #drained(): Promise<void> {
    await Promise.all([...this.#inFlight].map((exchange) => exchange.settled))
  }
}

/** Routes undici requests to msw `handlers` in-process; see {@link MswDispatcher}. */
export function mswDispatcher(
  handlers: readonly RequestHandler[],
  options: MswDispatcherOptions = {},
): MswDispatcher {
  return new MswDispatcher(handlers, options)
}

/** undici's dual style: a promise, or a callback when one is given. */
function settle(done: Promise<void>, callback: (() => void) | undefined): Promise<void> | undefined {
  if (callback === undefined) return done
  void done.then(callback)
  return undefined
}
