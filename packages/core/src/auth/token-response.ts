import { AuthError } from '../errors/error-kinds.js'
import type { ErrorOrigin } from '../errors/junction-error.js'

/** A successful token endpoint answer (RFC 6749 §5.1, plus Salesforce's fields), read leniently. */
export interface TokenResponse {
  accessToken: string
  tokenType: string | undefined
  /** Seconds the token lives, when the server says (Salesforce never does). */
  expiresInSeconds: number | undefined
  refreshToken: string | undefined
  /** Salesforce: the base URL for every API call. */
  instanceUrl: string | undefined
  issuedAt: Date | undefined
  scope: string | undefined
  /** The response's other fields, with every token-bearing one removed. */
  fields: Readonly<Record<string, unknown>>
}

// Fields that hold or derive from credentials; they never leave the auth layer.
const SECRET_FIELD = /token|secret|signature|assertion|password/i
const PUBLIC_FIELDS = new Set(['token_type'])

/**
 * Reads a token response body (a parsed object or JSON text). Throws an `AuthError`
 * (`TOKEN_REQUEST_FAILED`) without quoting the body when it carries no `access_token`.
 */
export function parseTokenResponse(body: unknown, origin: ErrorOrigin): TokenResponse {
  const fields = asObject(body)
  const accessToken = fields?.access_token
  if (fields === undefined || typeof accessToken !== 'string' || accessToken === '') {
    const error = typeof fields?.error === 'string' ? fields.error : undefined
    throw new AuthError({
      ...origin,
      code: 'TOKEN_REQUEST_FAILED',
      message: `token response from ${origin.path ?? 'the token endpoint'} has no access_token${error ? ` (error: ${error})` : ''}`,
      systemCode: error,
    })
  }
  return {
    accessToken,
    tokenType: stringField(fields.token_type),
    expiresInSeconds: numberField(fields.expires_in),
    refreshToken: stringField(fields.refresh_token),
    instanceUrl: stringField(fields.instance_url),
    issuedAt: epochDate(fields.issued_at),
    scope: stringField(fields.scope),
    fields: Object.fromEntries(
      Object.entries(fields).filter(([key]) => PUBLIC_FIELDS.has(key) || !SECRET_FIELD.test(key)),
    ),
  }
}

function asObject(body: unknown): Record<string, unknown> | undefined {
  let value = body
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    try {
      value = JSON.parse(value.toString())
    } catch {
      return undefined
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

// `expires_in` is a number by the RFC, but some servers send a string of digits.
function numberField(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : undefined
}

// Salesforce documents `issued_at` as seconds but sends a string of milliseconds; the magnitude tells
// them apart (1e11 seconds is the year 5138, 1e11 milliseconds is 1973).
function epochDate(value: unknown): Date | undefined {
  const number = numberField(value)
  if (number === undefined) return undefined
  return new Date(number >= 1e11 ? number : number * 1000)
}
