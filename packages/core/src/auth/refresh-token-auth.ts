import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { AuthError } from '../errors/error-kinds.js'
import { OAuth2Provider } from './oauth2-provider.js'
import { callbackSchema, clientAuthSchema, tokenOptionsShape, tokenUrlSchema } from './token-options.js'
import { requestToken } from './token-request.js'

/** OAuth2 refresh token grant (RFC 6749 §6): trades a long-lived refresh token for access tokens. */
export const refreshTokenAuthSchema = z.object({
  type: z.literal('oauth2-refresh-token'),
  tokenUrl: tokenUrlSchema,
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).optional(),
  refreshToken: z.string().min(1),
  clientAuth: clientAuthSchema,
  /**
   * Awaited with the new refresh token when the server rotates it, before the new access token is
   * used: persist it here, or the next process start holds a dead token (jsforce #1656).
   */
  onRefreshTokenRotated: callbackSchema<(refreshToken: string) => void | Promise<void>>().optional(),
  ...tokenOptionsShape,
})

/** Options for `refreshTokenAuth`. */
export type RefreshTokenAuthConfig = z.input<typeof refreshTokenAuthSchema>

// Rotated-out refresh tokens may still sit in in-flight errors, so they stay redactable a while.
const RETIRED_TOKENS_KEPT = 4

/**
 * A provider that renews access tokens with a refresh token, following rotation. Renewals are
 * single-flight, so a rotated-out refresh token is never sent again.
 */
export function refreshTokenAuth(input: RefreshTokenAuthConfig): OAuth2Provider {
  const config = parseOptions(refreshTokenAuthSchema, input, 'auth')
  let refreshToken = config.refreshToken
  const retired: string[] = []
  return new OAuth2Provider({
    ...config,
    grant: async (context, redactor) => {
      const response = await requestToken(context, {
        tokenUrl: config.tokenUrl,
        form: { grant_type: 'refresh_token', refresh_token: refreshToken },
        client: { id: config.clientId, secret: config.clientSecret, auth: config.clientAuth },
        redactor,
      })
      const rotated = response.refreshToken
      if (rotated === undefined || rotated === refreshToken) return response
      // The server may already have revoked the old token, so the new one is kept whatever happens next.
      retired.unshift(refreshToken)
      retired.length = Math.min(retired.length, RETIRED_TOKENS_KEPT)
      refreshToken = rotated
      try {
        await config.onRefreshTokenRotated?.(rotated)
      } catch (error) {
        // Not using the access token means the next call renews again and offers the new token once more.
        throw redactor.error(
          new AuthError({
            code: 'TOKEN_REQUEST_FAILED',
            message: 'onRefreshTokenRotated failed, so the new access token was not used',
            retryable: true,
            cause: error,
          }),
        )
      }
      return response
    },
    secrets: () => [
      refreshToken,
      ...retired,
      ...(config.clientSecret === undefined ? [] : [config.clientSecret]),
    ],
  })
}
