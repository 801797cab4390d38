import { STATUS_CODES } from 'node:http'
import { Readable } from 'node:stream'
import type { RequestHandler } from 'msw'
import { type Dispatcher, errors } from 'undici'
import { TransportError } from '../errors/error-kinds.js'
import { type ControllerHandler, type ResponseHeaderMap, toControllerHandler } from './controller-handler.js'
import { BridgeController } from './dispatch-controller.js'
import { isReplayableBody, requestFromDispatch } from './dispatch-request.js'
import { resolveResponse } from './resolve-response.js'

/** What an exchange inherits from the dispatcher that started it. */
export interface ExchangeSettings {
  handlers: readonly RequestHandler[]
  /** Milliseconds; 0 disables, as in undici. */
  headersTimeout: number
  bodyTimeout: number
  fallback: Dispatcher | undefined
}

/** Bodies are handed over in slices this big, so pause/resume acts within a large chunk too. */
const SLICE_BYTES = 64 * 1024

/**
 * One dispatch answered in-process by msw: it builds the Fetch request, asks the handlers, and feeds
 * the response to the undici handler slice by slice, honouring pause, resume, abort and timeouts.
 */
export class MswExchange {
  /** Resolves once the undici handler has had its last callback (or the request was forwarded). */
  readonly settled: Promise<void>
  readonly #options: Dispatcher.DispatchOptions
  readonly #original: Dispatcher.DispatchHandler
  readonly #handler: ControllerHandler
  readonly #settings: ExchangeSettings
  readonly #controller: BridgeController
  readonly #requestAbort = new AbortController()
  #isSettled = false
  #markSettled: () => void = () => {}
  #timer: NodeJS.Timeout | undefined
  #wake: (() => void) | undefined
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined

  constructor(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
    settings: ExchangeSettings,
  ) {
    this.#options = options
    this.#original = handler
    this.#handler = toControllerHandler(handler)
    this.#settings = settings
    this.settled = new Promise((resolve) => {
      this.#markSettled = resolve
    })
    this.#controller = new BridgeController({
      // undici reports an abort asynchronously too; it also keeps the handler out of re-entrant calls.
      onAbort: (reason) => queueMicrotask(() => this.fail(reason)),
      onResume: () => this.#wakeUp(),
    })
  }

  /** Runs the exchange to its end; never rejects (failures go to the handler). */
  async run(): Promise<void> {
    try {
      await this.#exchange()
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)))
    }
  }

  /** Ends the exchange with `error`, unless it already ended. */
  fail(error: Error): void {
    if (this.#isSettled) return
    this.#settle()
    this.#requestAbort.abort(error)
    this.#reader?.cancel(error).catch(() => {})
    this.#handler.onResponseError(this.#controller, error)
  }

  async #exchange(): Promise<void> {
    this.#handler.onRequestStart(this.#controller)
    if (this.#isSettled || this.#controller.aborted) return
    this.#arm(this.#timeout('headersTimeout'), () => new errors.HeadersTimeoutError())
    const request = requestFromDispatch(this.#options, this.#requestAbort.signal)
    const spare =
      this.#settings.fallback && !isReplayableBody(this.#options.body) ? request.clone() : undefined
    const resolution = await resolveResponse(this.#settings.handlers, request)
    if (resolution.kind !== 'unhandled' || this.#isSettled) spare?.body?.cancel().catch(() => {})
    if (this.#isSettled) {
      if (resolution.kind === 'response') resolution.response.body?.cancel().catch(() => {})
      return
    }
    this.#disarm()
    if (resolution.kind === 'response') return this.#deliver(resolution.response)
    // A handler's `HttpResponse.error()` is a dropped connection, reported as undici reports one.
    if (resolution.kind === 'network-error') return this.fail(new errors.SocketError('other side closed'))
    this.#unhandled(request, spare)
  }

  #unhandled(request: Request, spare: Request | undefined): void {
    const fallback = this.#settings.fallback
    if (fallback) {
      this.#settle()
      fallback.dispatch(
        { ...this.#options, body: spare?.body ? Readable.from(spare.body) : this.#options.body },
        this.#original,
      )
      return
    }
    const url = new URL(request.url)
    this.fail(
      new TransportError({
        code: 'CONNECTION_FAILED',
        message: `no msw handler answered ${request.method} ${url.origin}${url.pathname}`,
        method: request.method,
        path: url.pathname,
        retryable: false,
      }),
    )
  }

  async #deliver(response: Response): Promise<void> {
    const statusText = response.statusText || STATUS_CODES[response.status] || ''
    this.#handler.onResponseStart(this.#controller, response.status, responseHeaders(response), statusText)
    const body = response.body
    if (this.#isSettled || body === null || this.#options.method.toUpperCase() === 'HEAD') {
      body?.cancel().catch(() => {})
      return this.#finish()
    }
    this.#reader = body.getReader()
    for (;;) {
      await this.#flowing()
      if (this.#isSettled) return
      this.#arm(this.#timeout('bodyTimeout'), () => new errors.BodyTimeoutError())
      let next: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>
      try {
        next = await this.#reader.read()
      } catch (error) {
        // A reset reaches a real client after the data sent before it; undici destroys the body stream
        // on error, so reporting it in the same turn would discard chunks the caller has not read yet.
        await new Promise((resolve) => setImmediate(resolve))
        return this.fail(connectionReset(error))
      }
      this.#disarm()
      if (this.#isSettled) return
      if (next.done) return this.#finish()
      await this.#emit(next.value)
    }
  }

  async #emit(chunk: Uint8Array): Promise<void> {
    for (let offset = 0; offset < chunk.byteLength; offset += SLICE_BYTES) {
      await this.#flowing()
      if (this.#isSettled) return
      const length = Math.min(SLICE_BYTES, chunk.byteLength - offset)
      this.#handler.onResponseData(
        this.#controller,
        Buffer.from(chunk.buffer, chunk.byteOffset + offset, length),
      )
    }
  }

  #finish(): void {
    if (this.#isSettled) return
    this.#settle()
    this.#handler.onResponseEnd(this.#controller)
  }

  async #flowing(): Promise<void> {
    while (this.#controller.paused && !this.#isSettled) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve
      })
    }
  }

  #wakeUp(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  #settle(): void {
    this.#isSettled = true
    this.#disarm()
    this.#markSettled()
    this.#wakeUp()
  }

  #timeout(name: 'headersTimeout' | 'bodyTimeout'): number {
    return this.#options[name] ?? this.#settings[name]
  }

  #arm(milliseconds: number, error: () => Error): void {
    this.#disarm()
    if (milliseconds <= 0) return
    this.#timer = setTimeout(() => this.fail(error()), milliseconds)
    this.#timer.unref()
  }

  #disarm(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}

/** Lower-case names, `set-cookie` kept as separate values, as undici reports them off the wire. */
function responseHeaders(response: Response): ResponseHeaderMap {
  const headers: ResponseHeaderMap = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  return headers
}

/** A body stream that fails mid-way is, to the client, a connection that dropped mid-body. */
function connectionReset(cause: unknown): Error {
  const error = new errors.SocketError('other side closed')
  error.cause = cause
  return error
}
