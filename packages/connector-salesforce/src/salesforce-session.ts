import {
  type AuthConfig,
  type AuthContext,
  AuthError,
  type AuthProvider,
  createAuthProvider,
  type JunctionRequest,
  type TokenInfo,
} from '@junction/core'
import type { SalesforceAuth } from './salesforce-options.js'

/**
 * Where requests are addressed before the first token has named the instance. `.invalid` can never
 * resolve (RFC 2606), so a request that somehow escaped the session unrewritten fails loudly.
 */
export const PENDING_INSTANCE = 'https://pending-instance.invalid'

/**
 * An OAuth session with a Salesforce org: the core grant's provider, plus the `instance_url` its
 * token responses name. Requests built before the first token are addressed to `PENDING_INSTANCE`;
 * once the grant has run, `authorize` moves them to the instance the token belongs to.
 */
export class SalesforceSession implements AuthProvider {
  readonly type: string
  #instanceUrl: string | undefined
  readonly #provider: AuthProvider

  /** Builds the grant's provider, with the token URL defaulted from `loginUrl`. */
  constructor(config: SalesforceOAuthConfig, loginUrl: string) {
    const tokenUrl = config.tokenUrl ?? `${loginUrl.replace(/\/+$/, '')}/services/oauth2/token`
    const onToken = (info: TokenInfo): void => {
      if (info.instanceUrl !== undefined) this.#instanceUrl = info.instanceUrl.replace(/\/+$/, '')
      config.onToken?.(info)
    }
    // The spread loses which grant `config` is; createAuthProvider validates it again anyway.
    this.#provider = createAuthProvider({ ...config, tokenUrl, onToken } as AuthConfig)
    this.type = this.#provider.type
  }

  /** The org's API host, once a token response has named it. */
  get instanceUrl(): string | undefined {
    return this.#instanceUrl
  }

  /** Attaches the bearer token (running the grant when needed) and points the request at the instance. */
  async authorize(request: JunctionRequest, context: AuthContext): Promise<JunctionRequest> {
    const authorized = await this.#provider.authorize(request, context)
    if (!authorized.url.startsWith(PENDING_INSTANCE)) return authorized
    if (this.#instanceUrl === undefined) {
      throw new AuthError({
        code: 'TOKEN_REQUEST_FAILED',
        message: 'the token response named no instance_url; set the instanceUrl option',
        system: 'salesforce',
      })
    }
    return { ...authorized, url: this.#instanceUrl + authorized.url.slice(PENDING_INSTANCE.length) }
  }

  /** Drops a refused token so the replay runs the grant again. */
  invalidate(rejected: JunctionRequest): boolean {
    return this.#provider.invalidate?.(rejected) ?? false
  }

  /** The grant's credentials and current tokens, for redaction. */
  secrets(): Iterable<string> {
    return this.#provider.secrets()
  }
}

/** An OAuth grant config, `tokenUrl` optional. */
export type SalesforceOAuthConfig = Extract<SalesforceAuth, { type: `oauth2-${string}` }>

/** Whether `auth` is an OAuth grant config, whose token response can name the instance. */
export function isOAuthConfig(auth: SalesforceAuth): auth is SalesforceOAuthConfig {
  return (
    'type' in auth &&
    typeof auth.type === 'string' &&
    auth.type.startsWith('oauth2-') &&
    !('authorize' in auth)
  )
}
