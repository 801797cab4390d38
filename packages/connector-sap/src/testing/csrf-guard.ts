import { randomBytes, randomUUID } from 'node:crypto'
import type { SimRequest, SimResponse } from './sim-http.js'

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE'])

/** The CSRF protocol of SAP Gateway (sheet §3.2): tokens bound to a session cookie. */
export class CsrfGuard {
  readonly #sessions = new Map<string, string>()

  constructor(private readonly cookieName: string) {}

  /** A token for the caller's session (a new session when it has none), with the cookie to set. */
  issue(request: SimRequest): { token: string; setCookie: string | undefined } {
    const existing = this.#session(request)
    const session = existing ?? randomUUID().replaceAll('-', '')
    const token = this.#sessions.get(session) ?? `${randomBytes(16).toString('base64')}`
    this.#sessions.set(session, token)
    return {
      token,
      setCookie: existing === undefined ? `${this.cookieName}=${session}; path=/; HttpOnly` : undefined,
    }
  }

  /** The 403 for a write without a token matching its session cookie, or `undefined` when it is fine. */
  check(request: SimRequest): SimResponse | undefined {
    if (!WRITES.has(request.method)) return undefined
    const session = this.#session(request)
    const token = request.headers['x-csrf-token']
    if (session !== undefined && token !== undefined && this.#sessions.get(session) === token)
      return undefined
    return {
      status: 403,
      headers: { 'x-csrf-token': 'Required', 'content-type': 'text/plain; charset=utf-8' },
      body: 'CSRF token validation failed',
    }
  }

  /** Ends every session, as a security-session timeout would, so the next write needs a new token. */
  expire(): void {
    this.#sessions.clear()
  }

  #session(request: SimRequest): string | undefined {
    for (const pair of (request.headers.cookie ?? '').split(';')) {
      const [name, value] = pair.trim().split('=')
      if (name === this.cookieName && value !== undefined && this.#sessions.has(value)) return value
    }
    return undefined
  }
}
