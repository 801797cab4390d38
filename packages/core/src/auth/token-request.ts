import { AuthError } from '../errors/error-kinds.js'
import { type ErrorOrigin, JunctionError } from '../errors/junction-error.js'
import { httpStatusError } from '../pipeline/http-errors.js'
import type { JunctionRequest } from '../pipeline/request.js'
import type { Redactor } from '../redaction/redactor.js'
import type { AuthContext } from './auth-provider.js'
import { parseTokenResponse, type TokenResponse } from './token-response.js'

/** How a confidential client proves itself at the token endpoint (RFC 6749 §2.3.1). */
export interface TokenClient {
  id: string
  secret?: string | undefined
  /** `body` sends `client_id`/`client_secret` as form fields; `basic` as an `Authorization: Basic` header. */
  auth: 'body' | 'basic'
}

/** One call to a token endpoint. */
export interface TokenRequest {
  tokenUrl: string
  /** The grant's own fields, e.g. `grant_type` and `refresh_token`; undefined values are left out. */
  form: Readonly<Record<string, string | undefined>>
  /** Omitted for grants that authenticate by the assertion alone (Salesforce JWT bearer). */
  client?: TokenClient | undefined
  /** Scrubs the provider's secrets from any error this request produces. */
  redactor: Redactor
}

/**
 * POSTs a form-encoded token request through `context.send` (the pipeline beneath auth) and reads the
 * answer. Every failure becomes an `AuthError` `TOKEN_REQUEST_FAILED` that carries the OAuth `error`
 * as `systemCode` and never the request body, which holds the credentials.
 */
export async function requestToken(context: AuthContext, request: TokenRequest): Promise<TokenResponse> {
  const url = new URL(request.tokenUrl)
  const origin: ErrorOrigin = { method: 'POST', path: url.pathname }
  const form = new URLSearchParams()
  for (const [name, value] of Object.entries(request.form)) {
    if (value !== undefined) form.set(name, value)
  }
  const headers: Record<string, string> = { accept: 'application/json' }
  const client = request.client
  if (client?.auth === 'basic' && client.secret !== undefined) {
    headers.authorization = `Basic ${basicCredentials(client.id, client.secret)}`
  } else if (client !== undefined) {
    form.set('client_id', client.id)
    if (client.secret !== undefined) form.set('client_secret', client.secret)
  }
  const query = Object.fromEntries(url.searchParams)
  url.search = ''
  const tokenRequest: JunctionRequest = {
    method: 'POST',
    url: url.toString(),
    ...(Object.keys(query).length === 0 ? {} : { query }),
    headers,
    body: { type: 'form', value: form },
    responseType: 'json',
    // A token grant is not idempotent in general (refresh tokens may rotate), so retry layers leave it be.
    idempotent: false,
  }
  try {
    const response = await context.send(tokenRequest)
    // `send` normally throws on error statuses already; a bare transport does not.
    if (response.status >= 400) throw httpStatusError(response, tokenRequest)
    return parseTokenResponse(response.body, origin)
  } catch (error) {
    throw request.redactor.error(tokenRequestFailed(error, origin))
  }
}

// RFC 6749 §2.3.1: client id and secret are form-urlencoded before they are joined and base64-encoded.
function basicCredentials(id: string, secret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2)
  return Buffer.from(`${encode(id)}:${encode(secret)}`, 'utf8').toString('base64')
}

function tokenRequestFailed(error: unknown, origin: ErrorOrigin): AuthError {
  if (error instanceof AuthError && error.code === 'TOKEN_REQUEST_FAILED') return error
  if (!(error instanceof JunctionError)) {
    return new AuthError({
      ...origin,
      code: 'TOKEN_REQUEST_FAILED',
      message: `token request to ${origin.path} failed unexpectedly`,
      cause: error,
    })
  }
  if (error.status === undefined) {
    return new AuthError({
      ...origin,
      code: 'TOKEN_REQUEST_FAILED',
      message: `token request to ${origin.path} failed: ${error.code}`,
      retryable: error.retryable,
      system: error.system,
      cause: error,
    })
  }
  const oauth = oauthError(error.snippet)
  const reason = oauth?.error
    ? `: ${oauth.error}${oauth.error_description ? ` (${oauth.error_description})` : ''}`
    : ''
  return new AuthError({
    ...origin,
    code: 'TOKEN_REQUEST_FAILED',
    message: `token request to ${origin.path} answered ${error.status}${reason}`,
    status: error.status,
    // 400 (invalid_grant, invalid_client) and 401 will fail the same way again; 429 and 5xx may not.
    retryable: error.retryable || oauth?.error === 'temporarily_unavailable',
    system: error.system,
    systemCode: oauth?.error,
    snippet: error.snippet,
    details: oauth,
    cause: error,
  })
}

interface OAuthErrorBody {
  error?: string
  error_description?: string
}

// The OAuth error envelope (RFC 6749 §5.2); anything else yields no system code.
function oauthError(snippet: string | undefined): OAuthErrorBody | undefined {
  if (snippet === undefined) return undefined
  try {
    const body: unknown = JSON.parse(snippet)
    if (typeof body !== 'object' || body === null) return undefined
    const { error, error_description } = body as Record<string, unknown>
    return {
      ...(typeof error === 'string' ? { error } : {}),
      ...(typeof error_description === 'string' ? { error_description } : {}),
    }
  } catch {
    return undefined
  }
}
