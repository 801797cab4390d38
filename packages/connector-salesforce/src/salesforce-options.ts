import type { AuthConfig, AuthProvider, ConnectorOptions } from '@junction/core'
import { z } from 'zod'

/** The API version new code should use (jsforce still defaults to the long-retired 50.0). */
export const DEFAULT_API_VERSION = 'v62.0'

/** The adapter's own options, merged over the core connector options. */
export const salesforceOptionsShape = {
  /** Where OAuth grants run: `https://login.salesforce.com`, `https://test.salesforce.com` or My Domain. */
  loginUrl: z.url({ protocol: /^https?$/ }).default('https://login.salesforce.com'),
  /**
   * The org's API host. Optional with OAuth, whose token response names it (`instance_url`);
   * required with a static bearer token.
   */
  instanceUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** REST API version, e.g. `v62.0`. */
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d$/, 'must look like v62.0')
    .default(DEFAULT_API_VERSION),
}

// Salesforce's token endpoint is always `{loginUrl}/services/oauth2/token`, so OAuth configs may leave
// `tokenUrl` out; the connector fills it in from `loginUrl`.
type WithOptionalTokenUrl<T> = T extends { tokenUrl: string }
  ? Omit<T, 'tokenUrl'> & { tokenUrl?: string }
  : T

/** The `auth` option: a core auth config (OAuth grants may omit `tokenUrl`), or a ready provider. */
export type SalesforceAuth = WithOptionalTokenUrl<AuthConfig> | AuthProvider

/** What `salesforce()` accepts. */
export type SalesforceOptions = Omit<ConnectorOptions<typeof salesforceOptionsShape>, 'auth' | 'baseUrl'> & {
  auth: SalesforceAuth
}
