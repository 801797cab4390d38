import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import type { AuthProvider } from './auth-provider.js'
import { withHeader } from './request-headers.js'

// RFC 9110 §5.6.2 token characters; anything else is not a header name.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** A static header on every request, e.g. ServiceNow's `x-sn-apikey` or another API key header. */
export const headerAuthSchema = z.object({
  type: z.literal('header'),
  /** The header name, e.g. `x-sn-apikey`. */
  name: z.string().regex(HEADER_NAME, 'must be an HTTP header name'),
  /** The header value: the key itself. */
  value: z
    .string()
    .min(1)
    .refine((value) => !/[\r\n]/.test(value), 'must not contain line breaks'),
})

/** Options for `headerAuth`. */
export type HeaderAuthConfig = z.input<typeof headerAuthSchema>

/** Sends a fixed header (an API key) with every request; a 401 is final, since nothing can be renewed. */
export function headerAuth(input: HeaderAuthConfig): AuthProvider {
  const { name, value } = parseOptions(headerAuthSchema, input, 'auth')
  return {
    type: 'header',
    async authorize(request) {
      return withHeader(request, name, value)
    },
    invalidate: () => false,
    secrets: () => [value],
  }
}
