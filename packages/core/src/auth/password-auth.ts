import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { OAuth2Provider } from './oauth2-provider.js'
import { clientAuthSchema, tokenOptionsShape, tokenUrlSchema } from './token-options.js'
import { requestToken } from './token-request.js'

/**
 * OAuth2 resource owner password grant (RFC 6749 §4.3). Legacy: OAuth 2.1 drops it and Salesforce
 * orgs increasingly block it; prefer client credentials or JWT bearer. ServiceNow still relies on it.
 */
export const passwordAuthSchema = z.object({
  type: z.literal('oauth2-password'),
  tokenUrl: tokenUrlSchema,
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).optional(),
  username: z.string().min(1),
  /** Salesforce: the password with the user's security token appended. */
  password: z.string().min(1),
  /** Space-separated scopes. */
  scope: z.string().min(1).optional(),
  clientAuth: clientAuthSchema,
  ...tokenOptionsShape,
})

/** Options for `passwordAuth`. */
export type PasswordAuthConfig = z.input<typeof passwordAuthSchema>

/**
 * A provider that runs the password grant whenever it needs a token. It ignores any refresh token in
 * the answer: holding the password, running the grant again is as good and one secret fewer to keep.
 */
export function passwordAuth(input: PasswordAuthConfig): OAuth2Provider {
  const config = parseOptions(passwordAuthSchema, input, 'auth')
  return new OAuth2Provider({
    ...config,
    grant: (context, redactor) =>
      requestToken(context, {
        tokenUrl: config.tokenUrl,
        form: {
          grant_type: 'password',
          username: config.username,
          password: config.password,
          scope: config.scope,
        },
        client: { id: config.clientId, secret: config.clientSecret, auth: config.clientAuth },
        redactor,
      }),
    secrets: () => [config.password, ...(config.clientSecret === undefined ? [] : [config.clientSecret])],
  })
}
