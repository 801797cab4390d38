import { z } from 'zod'
import type { TokenInfo } from './token-info.js'

const isFunction = (value: unknown): boolean => typeof value === 'function'

/** A token endpoint: an absolute http(s) URL. */
export const tokenUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })

/** How the client authenticates at the token endpoint: form fields (the default) or HTTP Basic. */
export const clientAuthSchema = z.enum(['body', 'basic']).default('body')

/** A function-valued option; zod cannot check its signature, only that it is callable. */
export function callbackSchema<F>() {
  return z.custom<F>(isFunction, 'must be a function')
}

/** Options every OAuth2 grant accepts: when to renew and whom to tell about a new token. */
export const tokenOptionsShape = {
  /** Renew this long before expiry, so no request leaves with a token about to lapse. Default 60 s. */
  refreshAheadMs: z.number().int().nonnegative().default(60_000),
  /**
   * Lifetime assumed when the response has no `expires_in` (Salesforce never sends one; its sessions
   * end after 15 min to 24 h of inactivity, per org). The default, 15 minutes, is the shortest
   * Salesforce allows, so an idle connection never presents a lapsed token; the cost is one token
   * request every 14 minutes, and a 401 still triggers a renewal if the guess was wrong.
   */
  defaultTokenLifetimeMs: z
    .number()
    .int()
    .positive()
    .default(15 * 60_000),
  /** Told about each new token (never the token itself); must not throw. */
  onToken: callbackSchema<(info: TokenInfo) => void>().optional(),
}

/** The parsed form of `tokenOptionsShape`. */
export interface TokenOptions {
  refreshAheadMs: number
  defaultTokenLifetimeMs: number
  onToken?: ((info: TokenInfo) => void) | undefined
}
