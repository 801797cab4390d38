import { TimeoutError } from '../errors/error-kinds.js'
import { waitUnlessAborted } from '../pipeline/wait-unless-aborted.js'
import type { AuthContext } from './auth-provider.js'
import type { TokenInfo } from './token-info.js'
import type { TokenOptions } from './token-options.js'
import type { TokenResponse } from './token-response.js'

interface CachedToken {
  accessToken: string
  /** When to start renewing: `refreshAheadMs` before expiry. */
  refreshAt: number
  expiresAt: number
  info: TokenInfo
}

// Tokens recently replaced or rejected may still sit in in-flight errors, so they stay redactable a while.
const RETIRED_TOKENS_KEPT = 4

/**
 * Holds one access token and renews it. Concurrent callers share a single in-flight token request;
 * a failed request is not remembered, so the next caller tries again.
 */
export class TokenManager {
  readonly #obtain: (context: AuthContext) => Promise<TokenResponse>
  readonly #options: TokenOptions
  #current: CachedToken | undefined
  #pending: Promise<CachedToken> | undefined
  readonly #retired: string[] = []

  /** `obtain` runs a grant against the token endpoint; it is never called twice at once. */
  constructor(obtain: (context: AuthContext) => Promise<TokenResponse>, options: TokenOptions) {
    this.#obtain = obtain
    this.#options = options
  }

  /**
   * A token valid for at least `refreshAheadMs` more (or the current one, if renewing it ahead of
   * expiry failed while it is still valid). Rejects with the grant's error when there is none.
   */
  async token(context: AuthContext): Promise<string> {
    const current = this.#current
    if (current !== undefined && Date.now() < current.refreshAt) return current.accessToken
    try {
      return (await waitUnlessAborted(this.#renew(context), context.signal, aborted)).accessToken
    } catch (error) {
      const still = this.#current
      const usable = still !== undefined && Date.now() < still.expiresAt && !context.signal?.aborted
      if (usable) return still.accessToken
      throw error
    }
  }

  /**
   * Forgets `rejected` if it is still the current token, so many requests refused with the same
   * stale token cause one renewal; a token already replaced is left alone.
   */
  invalidate(rejected: string): void {
    if (this.#current?.accessToken === rejected) {
      this.#retire(rejected)
      this.#current = undefined
    }
  }

  /** What the last token response said, without its secrets; undefined before the first token. */
  info(): TokenInfo | undefined {
    return this.#current?.info
  }

  /** The current access token and those recently replaced, for redaction. */
  secrets(): string[] {
    return this.#current === undefined ? [...this.#retired] : [this.#current.accessToken, ...this.#retired]
  }

  #renew(context: AuthContext): Promise<CachedToken> {
    if (this.#pending === undefined) {
      // Abandoned by every waiter or not, the shared request must never become an unhandled rejection.
      const pending = this.#fetch(context).finally(() => {
        this.#pending = undefined
      })
      pending.catch(() => undefined)
      this.#pending = pending
    }
    return this.#pending
  }

  async #fetch(context: AuthContext): Promise<CachedToken> {
    const requestedAt = Date.now()
    // The shared request must not die with the one caller whose signal happened to start it.
    const response = await this.#obtain({ send: context.send })
    const lifetimeMs =
      response.expiresInSeconds === undefined
        ? this.#options.defaultTokenLifetimeMs
        : response.expiresInSeconds * 1000
    // Timed from before the request, so network latency only makes the estimate conservative.
    const expiresAt = requestedAt + lifetimeMs
    // Half the lifetime at most, or a short-lived token would be renewed on every call.
    const refreshAt = expiresAt - Math.min(this.#options.refreshAheadMs, lifetimeMs / 2)
    const info: TokenInfo = {
      tokenType: response.tokenType,
      scope: response.scope,
      instanceUrl: response.instanceUrl,
      issuedAt: response.issuedAt,
      expiresAt: new Date(expiresAt),
      fields: response.fields,
    }
    this.#options.onToken?.(info)
    if (this.#current !== undefined && this.#current.accessToken !== response.accessToken) {
      this.#retire(this.#current.accessToken)
    }
    this.#current = { accessToken: response.accessToken, refreshAt, expiresAt, info }
    return this.#current
  }

  #retire(token: string): void {
    if (!this.#retired.includes(token)) this.#retired.unshift(token)
    this.#retired.length = Math.min(this.#retired.length, RETIRED_TOKENS_KEPT)
  }
}

function aborted(): TimeoutError {
  return new TimeoutError({ code: 'ABORTED', message: 'aborted while waiting for an access token' })
}
