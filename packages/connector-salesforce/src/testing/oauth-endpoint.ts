import { createHmac, createPublicKey, KeyObject, randomBytes, verify } from 'node:crypto'
import type { SalesforceOrg } from './salesforce-org.js'

/** The connected app and the user the simulated token endpoint knows. */
export interface ConnectedAppOptions {
  /** Consumer key (default `junction-sim-client`). */
  clientId?: string
  /** Consumer secret (default `junction-sim-secret`). */
  clientSecret?: string
  /** The `instance_url` token responses name (default: the origin the token request went to). */
  instanceUrl?: string
  /** The integration user's username: the JWT `sub` and the password grant's user (default `integration@junction.test`). */
  username?: string
  /** The password grant's password, security token appended as Salesforce expects (default `junction-sim-password`). */
  password?: string
  /** The certificate's public key uploaded to the connected app: JWT assertions are verified against it. */
  jwtPublicKey?: string | KeyObject
  /** Audiences a JWT may name (default the production and sandbox login hosts, and the host it was posted to). */
  jwtAudiences?: readonly string[]
  /** Refresh tokens the app has issued and still honours (default one: `junction-sim-refresh`). */
  refreshTokens?: readonly string[]
  /** Whether the refresh grant hands out a new refresh token and revokes the old one (Salesforce may, per policy). */
  rotateRefreshTokens?: boolean
}

/** The token endpoint of a simulated org: every grant the connector supports (sheet §1). */
export class OAuthEndpoint {
  /** Token requests answered so far, successful or not. */
  requests = 0
  readonly clientId: string
  readonly clientSecret: string
  readonly username: string
  readonly password: string
  readonly #refreshTokens: Set<string>
  readonly #publicKey: KeyObject | undefined
  readonly #options: ConnectedAppOptions

  constructor(
    private readonly org: SalesforceOrg,
    options: ConnectedAppOptions,
  ) {
    this.#options = options
    this.clientId = options.clientId ?? 'junction-sim-client'
    this.clientSecret = options.clientSecret ?? 'junction-sim-secret'
    this.username = options.username ?? 'integration@junction.test'
    this.password = options.password ?? 'junction-sim-password'
    this.#refreshTokens = new Set(options.refreshTokens ?? ['junction-sim-refresh'])
    const key = options.jwtPublicKey
    this.#publicKey = key === undefined ? undefined : key instanceof KeyObject ? key : createPublicKey(key)
  }

  /** Whether `token` is a refresh token the app still honours (rotation revokes the old one). */
  honours(refreshToken: string): boolean {
    return this.#refreshTokens.has(refreshToken)
  }

  /** Answers `POST /services/oauth2/token`. */
  async token(request: Request): Promise<Response> {
    this.requests++
    const form = new URLSearchParams(await request.text())
    const [basicId, basicSecret] = basicCredentials(request)
    const clientId = form.get('client_id') ?? basicId
    const clientSecret = form.get('client_secret') ?? basicSecret
    const origin = new URL(request.url).origin
    const grant = form.get('grant_type')
    const clientOk = clientId === this.clientId && clientSecret === this.clientSecret
    switch (grant) {
      case 'client_credentials':
        if (!clientOk) return oauthError('invalid_client', 'invalid client credentials')
        return this.#issue(origin)
      case 'password':
        if (!clientOk) return oauthError('invalid_client', 'invalid client credentials')
        if (form.get('username') !== this.username || form.get('password') !== this.password) {
          return oauthError('invalid_grant', 'authentication failure')
        }
        return this.#issue(origin)
      case 'refresh_token': {
        // The secret is optional when the app does not require it for refresh (sheet §1.4).
        if (clientId !== this.clientId || (clientSecret !== null && clientSecret !== this.clientSecret)) {
          return oauthError('invalid_client', 'invalid client credentials')
        }
        const presented = form.get('refresh_token') ?? ''
        if (!this.#refreshTokens.has(presented))
          return oauthError('invalid_grant', 'expired access/refresh token')
        if (this.#options.rotateRefreshTokens !== true) return this.#issue(origin)
        const rotated = `5Aep${randomBytes(24).toString('base64url')}`
        this.#refreshTokens.delete(presented)
        this.#refreshTokens.add(rotated)
        return this.#issue(origin, { refresh_token: rotated })
      }
      case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
        return this.#jwt(form.get('assertion') ?? '', origin)
      default:
        return oauthError('unsupported_grant_type', 'grant type not supported')
    }
  }

  #jwt(assertion: string, origin: string): Response {
    if (this.#publicKey === undefined) return oauthError('invalid_grant', 'invalid assertion')
    const [header, claims, signature] = assertion.split('.')
    if (header === undefined || claims === undefined || signature === undefined) {
      return oauthError('invalid_grant', 'invalid assertion')
    }
    const decoded = decodeJson(header)
    const payload = decodeJson(claims)
    // Only RS256 is supported (sheet §1.3).
    const valid =
      decoded?.alg === 'RS256' &&
      verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${claims}`),
        this.#publicKey,
        Buffer.from(signature, 'base64url'),
      )
    if (!valid || payload === undefined) return oauthError('invalid_grant', 'invalid assertion')
    const audiences = this.#options.jwtAudiences ?? [
      'https://login.salesforce.com',
      'https://test.salesforce.com',
      origin,
    ]
    if (payload.iss !== this.clientId) return oauthError('invalid_client_id', 'client identifier invalid')
    // The error descriptions below are UNVERIFIED (sheet §1.3); the expiry one is observed.
    if (typeof payload.aud !== 'string' || !audiences.includes(payload.aud)) {
      return oauthError('invalid_grant', 'audience is invalid')
    }
    // `prn` is the legacy subject claim and wins when both are present.
    if ((payload.prn ?? payload.sub) !== this.username)
      return oauthError('invalid_grant', "user hasn't approved this consumer")
    if (typeof payload.exp !== 'number' || payload.exp * 1000 <= this.org.now().getTime()) {
      return oauthError('invalid_grant', 'expired authorization code')
    }
    return this.#issue(origin)
  }

  #issue(origin: string, extra: Record<string, string> = {}): Response {
    const issuedAt = String(this.org.now().getTime())
    const id = `${origin}/id/${this.org.orgId}AAA/0055g00000SimUsAAA`
    // Sheet §1.6: `issued_at` is a string of milliseconds, no `expires_in`; the signature is an HMAC
    // of id + issued_at keyed with the client secret (input UNVERIFIED).
    return json(200, {
      access_token: this.org.openSession(),
      signature: createHmac('sha256', this.clientSecret)
        .update(id + issuedAt)
        .digest('base64'),
      scope: 'api',
      instance_url: this.#options.instanceUrl ?? origin,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
      ...extra,
    })
  }
}

function basicCredentials(request: Request): [string | null, string | null] {
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]
  if (basic === undefined) return [null, null]
  const decoded = Buffer.from(basic, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return [null, null]
  return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))]
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

// The OAuth endpoints answer errors with an object, not the REST array (sheet §1.6).
function oauthError(error: string, description: string): Response {
  return json(400, { error, error_description: description })
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8' },
  })
}
