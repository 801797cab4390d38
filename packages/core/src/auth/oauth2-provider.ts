import type { JunctionRequest } from '../pipeline/request.js'
import { Redactor } from '../redaction/redactor.js'
import type { AuthContext, AuthProvider } from './auth-provider.js'
import { requestHeader, withHeader } from './request-headers.js'
import type { TokenInfo } from './token-info.js'
import { TokenManager } from './token-manager.js'
import type { TokenOptions } from './token-options.js'
import type { TokenResponse } from './token-response.js'

/** How an OAuth2 grant gets a token: `redactor` knows the provider's secrets, for its errors. */
export type TokenGrant = (context: AuthContext, redactor: Redactor) => Promise<TokenResponse>

/** What a grant module hands `OAuth2Provider`. */
export interface OAuth2ProviderOptions extends TokenOptions {
  /** e.g. `oauth2-client-credentials`. */
  type: string
  grant: TokenGrant
  /** The grant's own secrets (client secret, password, refresh token, key); tokens are added here. */
  secrets: () => Iterable<string>
}

/**
 * The OAuth2 provider every grant shares: sends `Authorization: Bearer`, renews the token ahead of
 * expiry through a single-flight `TokenManager`, and after a 401 drops the refused token so the
 * replay gets a fresh one.
 */
export class OAuth2Provider implements AuthProvider {
  readonly type: string
  readonly #tokens: TokenManager
  readonly #secrets: () => Iterable<string>

  constructor(options: OAuth2ProviderOptions) {
    this.type = options.type
    this.#secrets = options.secrets
    const redactor = new Redactor(() => this.secrets())
    this.#tokens = new TokenManager((context) => options.grant(context, redactor), options)
  }

  /** Attaches a valid access token, fetching one first when needed. */
  async authorize(request: JunctionRequest, context: AuthContext): Promise<JunctionRequest> {
    return withHeader(request, 'authorization', `Bearer ${await this.#tokens.token(context)}`)
  }

  /** Drops the refused token (if still current); a grant can always be run again, so this is true. */
  invalidate(rejected: JunctionRequest): boolean {
    const token = /^Bearer\s+(\S+)$/i.exec(requestHeader(rejected, 'authorization') ?? '')?.[1]
    if (token !== undefined) this.#tokens.invalidate(token)
    return true
  }

  /** The last token response's non-secret fields (e.g. Salesforce's `instanceUrl`); undefined before one. */
  tokenInfo(): TokenInfo | undefined {
    return this.#tokens.info()
  }

  /** The grant's credentials plus the current and recently replaced access tokens, also as form-encoded. */
  *secrets(): Iterable<string> {
    for (const secret of [...this.#secrets(), ...this.#tokens.secrets()]) {
      yield secret
      // A token endpoint that echoes its request body quotes the credentials form-encoded.
      const encoded = new URLSearchParams({ v: secret }).toString().slice(2)
      if (encoded !== secret) yield encoded
    }
  }
}
