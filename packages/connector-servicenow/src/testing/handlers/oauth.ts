import { randomBytes } from 'node:crypto'
import { json } from './sim-response.js'

/** The OAuth application registered on the simulated instance (`oauth_entity`). */
export interface OAuthClientOptions {
  clientId: string
  clientSecret: string
  /** `glide.oauth.inbound.client.credential.grant_type.enabled` (off by default, as on instances). */
  clientCredentials?: boolean
  /** Access-token lifetime in seconds (default 1800; `expires_in` counts what remains, e.g. 1799). */
  accessTokenLifespan?: number
}

interface Token {
  user: string
  expiresAt: number
}

/** `POST /oauth_token.do` (sheet §1.2) and the bearer tokens it has issued. */
export class OAuthServer {
  readonly #client: OAuthClientOptions | undefined
  readonly #users: ReadonlyMap<string, string>
  readonly #now: () => number
  readonly #access = new Map<string, Token>()
  readonly #refresh = new Map<string, string>()
  /** How many token requests succeeded, by grant type. */
  readonly grants: Record<string, number> = {}

  constructor(client: OAuthClientOptions | undefined, users: ReadonlyMap<string, string>, now: () => number) {
    this.#client = client
    this.#users = users
    this.#now = now
  }

  /** The user a bearer token stands for, or undefined when it is unknown or expired. */
  userOf(token: string): string | undefined {
    const found = this.#access.get(token)
    return found !== undefined && found.expiresAt > this.#now() ? found.user : undefined
  }

  /** Expires every access token at once (to test a renewal after a 401). */
  expireAccessTokens(): void {
    for (const token of this.#access.values()) token.expiresAt = 0
  }

  /** Answers a token request. */
  async token(request: Request): Promise<Response> {
    const type = request.headers.get('content-type') ?? ''
    // JSON "results in an unspecified error" (sheet §1.2): the same opaque 401 as every other failure.
    if (!type.startsWith('application/x-www-form-urlencoded')) return denied()
    const form = new URLSearchParams(await request.text())
    const client = this.#client
    if (client === undefined || form.get('client_id') !== client.clientId) return denied()
    if (form.get('client_secret') !== client.clientSecret) return denied()
    const grant = form.get('grant_type')
    let user: string | undefined
    let refresh: string | undefined
    if (grant === 'password') {
      const name = form.get('username') ?? ''
      if (this.#users.get(name) === undefined || this.#users.get(name) !== form.get('password'))
        return denied()
      user = name
      refresh = randomBytes(24).toString('base64url')
      this.#refresh.set(refresh, name)
      // A valid token for the same user and client is handed out again, its expiry pushed out (KB0791140).
      const current = [...this.#access].find(
        ([, token]) => token.user === name && token.expiresAt > this.#now(),
      )
      if (current !== undefined) return this.#issue(name, refresh, current[0], grant)
    } else if (grant === 'refresh_token') {
      const token = form.get('refresh_token') ?? ''
      user = this.#refresh.get(token)
      // UNVERIFIED: the refresh grant echoes the same refresh token (sheet §1.2 is ambiguous).
      refresh = token
    } else if (grant === 'client_credentials' && client.clientCredentials === true) {
      user = 'oauth.app.user'
    }
    if (user === undefined) return denied()
    return this.#issue(user, refresh, randomBytes(32).toString('base64url'), grant ?? '')
  }

  #issue(user: string, refresh: string | undefined, access: string, grant: string): Response {
    const lifespan = this.#client?.accessTokenLifespan ?? 1800
    this.#access.set(access, { user, expiresAt: this.#now() + lifespan * 1000 })
    this.grants[grant] = (this.grants[grant] ?? 0) + 1
    return json(200, {
      access_token: access,
      ...(refresh === undefined ? {} : { refresh_token: refresh }),
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: lifespan - 1,
    })
  }
}

// Every failure looks the same on the wire; the cause is only in the instance's logs (sheet §1.2).
function denied(): Response {
  return json(401, { error_description: 'access_denied', error: 'server_error' })
}
