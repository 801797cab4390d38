import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import type { AuthProvider } from './auth-provider.js'
import { basicAuth, basicAuthSchema } from './basic-auth.js'
import { bearerAuth, bearerAuthSchema } from './bearer-auth.js'
import { clientCredentialsAuth, clientCredentialsAuthSchema } from './client-credentials-auth.js'
import { headerAuth, headerAuthSchema } from './header-auth.js'
import { jwtBearerAuth, jwtBearerAuthSchema } from './jwt-bearer-auth.js'
import { passwordAuth, passwordAuthSchema } from './password-auth.js'
import { refreshTokenAuth, refreshTokenAuthSchema } from './refresh-token-auth.js'

/** Every built-in way to authenticate, told apart by `type`. */
export const authConfigSchema = z.discriminatedUnion('type', [
  headerAuthSchema,
  bearerAuthSchema,
  basicAuthSchema,
  clientCredentialsAuthSchema,
  refreshTokenAuthSchema,
  jwtBearerAuthSchema,
  passwordAuthSchema,
])

/** The `auth` option of a connector, as a caller writes it. */
export type AuthConfig = z.input<typeof authConfigSchema>

/** Builds the provider for `config`; throws a `ConfigError` naming the first bad option. */
export function createAuthProvider(config: AuthConfig): AuthProvider {
  const parsed = parseOptions(authConfigSchema, config, 'auth')
  switch (parsed.type) {
    case 'header':
      return headerAuth(parsed)
    case 'bearer':
      return bearerAuth(parsed)
    case 'basic':
      return basicAuth(parsed)
    case 'oauth2-client-credentials':
      return clientCredentialsAuth(parsed)
    case 'oauth2-refresh-token':
      return refreshTokenAuth(parsed)
    case 'oauth2-jwt-bearer':
      return jwtBearerAuth(parsed)
    case 'oauth2-password':
      return passwordAuth(parsed)
  }
}
