import type { ConnectorOptions } from '@junction/core'
import { z } from 'zod'

/** Records asked for per `$top` window unless a query says otherwise (sheet §6: 500–1000 for `API_*` reads). */
export const DEFAULT_PAGE_SIZE = 1000

/** RAP services cap a page at 5000 (sheet §1.7); larger windows gain nothing. */
export const MAX_PAGE_SIZE = 5000

/** The adapter's own options, merged over the core connector options. */
export const sapOptionsShape = {
  /** The OData V2 service root, e.g. `https://erp.example.com/sap/opu/odata/sap/API_BUSINESS_PARTNER`. */
  serviceRoot: z.url({ protocol: /^https?$/ }),
  /** The SAP client (mandant), sent as the `sap-client` query parameter on every call. */
  client: z
    .string()
    .regex(/^\d{3}$/, 'must be three digits, e.g. 100')
    .optional(),
  /** Records per `$top` window (default 1000, at most 5000). */
  pageSize: z.number().int().positive().max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
}

type CoreOptions = ConnectorOptions<typeof sapOptionsShape>

/** What `sap()` accepts: the service root, auth (e.g. basic for a technical user) and the client. */
export type SapOptions = Omit<CoreOptions, 'baseUrl' | 'auth'> & { auth: NonNullable<CoreOptions['auth']> }
