import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import type { AuthProvider } from './auth-provider.js'
import { withHeader } from './request-headers.js'

/** HTTP Basic credentials (RFC 7617), e.g. SAP Gateway or ServiceNow service accounts. */
export const basicAuthSchema = z.object({
  type: z.literal('basic'),
  // RFC 7617 splits user-id and password at the first colon, so a colon in the user-id cannot be sent.
  username: z
    .string()
    .min(1)
    .refine((username) => !username.includes(':'), 'must not contain ":"'),
  password: z.string().min(1),
})

/** Options for `basicAuth`. */
export type BasicAuthConfig = z.input<typeof basicAuthSchema>

/** Sends `Authorization: Basic …`; a 401 is final, since a password cannot be renewed. */
export function basicAuth(input: BasicAuthConfig): AuthProvider {
  const { username, password } = parseOptions(basicAuthSchema, input, 'auth')
  const encoded = Buffer.from(`${username}:${password}`, 'utf8').toString('base64')
  return {
    type: 'basic',
    async authorize(request) {
      return withHeader(request, 'authorization', `Basic ${encoded}`)
    },
    invalidate: () => false,
    // The encoded pair is as secret as the password: decoding it is trivial.
    secrets: () => [password, encoded],
  }
}
