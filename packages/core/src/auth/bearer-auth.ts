import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import type { AuthProvider } from './auth-provider.js'
import { withHeader } from './request-headers.js'

/** A fixed bearer token obtained elsewhere (a personal access token, a token minted by another service). */
export const bearerAuthSchema = z.object({
  type: z.literal('bearer'),
  token: z
    .string()
    .min(1)
    .refine((token) => !/\s/.test(token), 'must not contain whitespace'),
})

/** Options for `bearerAuth`. */
export type BearerAuthConfig = z.input<typeof bearerAuthSchema>

/** Sends `Authorization: Bearer <token>`; a 401 is final, since a fixed token cannot be renewed. */
export function bearerAuth(input: BearerAuthConfig): AuthProvider {
  const { token } = parseOptions(bearerAuthSchema, input, 'auth')
  return {
    type: 'bearer',
    async authorize(request) {
      return withHeader(request, 'authorization', `Bearer ${token}`)
    },
    invalidate: () => false,
    secrets: () => [token],
  }
}
