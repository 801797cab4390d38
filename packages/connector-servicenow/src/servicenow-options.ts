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
}

type CoreOptions = ConnectorOptions<typeof servicenowOptionsShape>

/** What `servicenow()` accepts: `instance` or `baseUrl`, plus auth. */
export type ServiceNowOptions = Omit<CoreOptions, 'auth'> & { auth: NonNullable<CoreOptions['auth']> }
