import type { ConnectorOptions } from '@junction/core'
import { z } from 'zod'

/** Records per page unless a query says otherwise (clients use 100–2000; big pages hit the 60 s quota, sheet §3). */
export const DEFAULT_PAGE_SIZE = 1000

/** The adapter's own options, merged over the core connector options (`baseUrl` is the alternative to `instance`). */
export const servicenowOptionsShape = {
  /** The instance name: `acme` means `https://acme.service-now.com`. */
  instance: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/i, 'must be an instance name, e.g. acme or dev12345')
    .optional(),
  /** Records per page (`sysparm_limit`), default 1000. */
  pageSize: z.number().int().positive().max(10_000).default(DEFAULT_PAGE_SIZE),
  /**
   * How `query` pages: `keyset` (default) asks for rows past the last key, so concurrent inserts and
   * deletes cannot shift the window; `offset` follows the `Link` header (`sysparm_offset`).
   */
  paging: z.enum(['keyset', 'offset']).default('keyset'),
  /** The keyset: `sys_id`, or `sys_updated_on` then `sys_id` (sheet §3.3). */
  keyset: z.enum(['sys_id', 'sys_updated_on']).default('sys_id'),
  /**
   * Keyset pages ask for `X-Total-Count` so that a page an ACL emptied (the limit applies before ACLs,
   * sheet §3.2) does not end the read; `false` saves the count query and stops at the first empty page.
   */
  aclSafePaging: z.boolean().default(true),
  /** `sysparm_display_value`: stored values (`false`, default), display values (`true`), or both (`all`). */
  displayValue: z.enum(['false', 'true', 'all']).default('false'),
  /** `sysparm_exclude_reference_link`: references as the bare value instead of `{link, value}`. */
  excludeReferenceLink: z.boolean().default(false),
  /** Known columns by table: query field names are checked against them (also learned by `describe`). */
  schemas: z.record(z.string(), z.array(z.string())).optional(),
  /** What an unknown field name in a query does: `warn` (default, logged), `error`, or `off`. */
  unknownFields: z.enum(['warn', 'error', 'off']).default('warn'),
  /** Writes send `X-no-response-body: true` and return only ids (from `Location` for creates). */
  skipResponseBody: z.boolean().default(false),
  /** The smallest page a query shrinks to after "Transaction cancelled" (it halves the page each time). */
  minPageSize: z.number().int().positive().default(50),
}

type CoreOptions = ConnectorOptions<typeof servicenowOptionsShape>
type CoreAuth = NonNullable<CoreOptions['auth']>
type OAuthTypes = 'oauth2-password' | 'oauth2-refresh-token' | 'oauth2-client-credentials'

type WithOptionalTokenUrl<T> = T extends unknown ? Omit<T, 'tokenUrl'> & { tokenUrl?: string } : never

/** Core's auth options, where an OAuth grant's `tokenUrl` may be left out: it defaults to the instance's `/oauth_token.do`. */
export type ServiceNowAuth =
  | Exclude<CoreAuth, { type: OAuthTypes }>
  | WithOptionalTokenUrl<Extract<CoreAuth, { type: OAuthTypes }>>

/** What `servicenow()` accepts: `instance` or `baseUrl`, plus auth. */
export type ServiceNowOptions = Omit<CoreOptions, 'auth'> & { auth: ServiceNowAuth }
