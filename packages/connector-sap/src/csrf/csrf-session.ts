import { type Handler, headerValue, isJunctionError, type JunctionRequest } from '@junction/core'
import { cookieHeader } from './cookie-header.js'

/** A CSRF token and the session cookies it is bound to (sheet §3.2). */
export interface CsrfToken {
  token: string | undefined
  cookie: string | undefined
}

/** How the token is fetched: HEAD first (as the SAP Cloud SDK does), or GET straight away. */
export type CsrfFetchMethod = 'HEAD' | 'GET'

/**
 * One connection's CSRF session: the token and cookies are fetched once and shared by every write;
 * concurrent writes that find none make one fetch. A HEAD answered 405 (issues #2430, #5856) falls
 * back to GET on the service root, and that choice is remembered.
 */
export class CsrfSession {
  #current: Promise<CsrfToken> | undefined
  #method: CsrfFetchMethod

  constructor(
    private readonly serviceRoot: string,
    method: CsrfFetchMethod,
  ) {
    this.#method = method
  }

  /** The current token, fetched through `send` (the pipeline below, so auth applies) when there is none. */
  token(send: Handler, request: JunctionRequest): Promise<CsrfToken> {
    this.#current ??= this.#fetch(send, request).catch((error: unknown) => {
      this.#current = undefined
      throw error
    })
    return this.#current
  }

  /** Drops `used` if it is still the current token, so the next write fetches a new one. */
  async invalidate(used: CsrfToken): Promise<void> {
    const current = await this.#current?.catch(() => undefined)
    if (current === used) this.#current = undefined
  }

  async #fetch(send: Handler, request: JunctionRequest): Promise<CsrfToken> {
    const fetchWith = (method: CsrfFetchMethod) =>
      send({
        method,
        url: `${this.serviceRoot}/`,
        headers: { 'x-csrf-token': 'Fetch', accept: 'application/json' },
        operation: request.operation,
        signal: request.signal,
      })
    let response: Awaited<ReturnType<Handler>>
    try {
      response = await fetchWith(this.#method)
    } catch (error) {
      if (this.#method !== 'HEAD' || !isJunctionError(error) || error.status !== 405) throw error
      this.#method = 'GET'
      response = await fetchWith('GET')
    }
    return { token: headerValue(response.headers, 'x-csrf-token'), cookie: cookieHeader(response.headers) }
  }
}
