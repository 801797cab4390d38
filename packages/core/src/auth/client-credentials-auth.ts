import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { OAuth2Provider } from './oauth2-provider.js'
import { clientAuthSchema, tokenOptionsShape, tokenUrlSchema } from './token-options.js'
import { requestToken } from './token-request.js'

/** OAuth2 client credentials (RFC 6749 §4.4): server-to-server, no user; renewed by running the grant again. */
export const clientCredentialsAuthSchema = z.object({
  type: z.literal('oauth2-client-credentials'),
  tokenUrl: tokenUrlSchema,
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** Space-separated scopes. */
  scope: z.string().min(1).optional(),
  /** The API the token is for, where the server asks (e.g. Auth0, Okta). */
  audience: z.string().min(1).optional(),
  clientAuth: clientAuthSchema,
  /** More form fields the server wants (e.g. `resource`); the grant's own fields win over these. */
  extraParams: z.record(z.string(), z.string()).optional(),
  ...tokenOptionsShape,
})

/** Options for `clientCredentialsAuth`. */
export type ClientCredentialsAuthConfig = z.input<typeof clientCredentialsAuthSchema>

/** A provider that runs the client credentials grant whenever it needs a token. */
export function clientCredentialsAuth(input: ClientCredentialsAuthConfig): OAuth2Provider {
  const config = parseOptions(clientCredentialsAuthSchema, input, 'auth')
  return new OAuth2Provider({
    ...config,
    grant: (context, redactor) =>
      requestToken(context, {
        tokenUrl: config.tokenUrl,
        form: {
          ...config.extraParams,
          grant_type: 'client_credentials',
          scope: config.scope,
          audience: config.audience,
        },
        client: { id: config.clientId, secret: config.clientSecret, auth: config.clientAuth },
        redactor,
      }),
    secrets: () => [config.clientSecret],
  })
}
