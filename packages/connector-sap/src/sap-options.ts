import type { ConnectorOptions } from '@junction/core'
import { z } from 'zod'

/** Records asked for per `$top` window unless a query says otherwise (sheet §6: 500–1000 for `API_*` reads). */
export const DEFAULT_PAGE_SIZE = 1000

/** RAP services cap a page at 5000 (sheet §1.7); larger windows gain nothing. */
export const MAX_PAGE_SIZE = 5000

/** The adapter's own options, merged over the core connector options. */
export const sapOptionsShape = {
  /** The service root: V2 `…/sap/opu/odata/sap/API_BUSINESS_PARTNER`, V4 `…/sap/opu/odata4/…/0001`. */
  serviceRoot: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
  /** `v2` or `v4`; by default `v4` when the root is under `/sap/opu/odata4/`, else `v2`. */
  version: z.enum(['v2', 'v4']).optional(),
  /** The SAP client (mandant), sent as the `sap-client` query parameter on every call. */
  client: z
    .string()
    .regex(/^\d{3}$/, 'must be three digits, e.g. 100')
    .optional(),
  /** Records per `$top` window (default 1000, at most 5000). */
  pageSize: z.number().int().positive().max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  /** Read `$metadata` to type literals, keys and values (default true). */
  metadata: z.boolean().default(true),
  /** How the CSRF token is fetched first; a HEAD answered 405 falls back to GET. `false`: never fetch. */
  csrf: z
    .union([z.literal(false), z.object({ fetchMethod: z.enum(['HEAD', 'GET']).default('HEAD') })])
    .default({
      fetchMethod: 'HEAD',
    }),
  /** Write boolean filter functions as `substringof(…) eq true` (UNVERIFIED whether SAP needs it; default off). */
  booleanFunctionsEqTrue: z.boolean().default(false),
  /** V2 partial update: `PATCH` (the SAP Cloud SDK's default) or `MERGE` (SAP Gateway's own). */
  updateMethod: z.enum(['PATCH', 'MERGE']).default('PATCH'),
  /**
   * `If-Match` on an update given no ETag: none (default: a set that wants one answers 428,
   * `PRECONDITION_REQUIRED`) or `*`, which overwrites whatever version is current, as the SAP Cloud SDK's
   * `ignoreVersionIdentifier()` does (UNVERIFIED whether every SAP service accepts `*`, sheet §3.3).
   */
  defaultIfMatch: z.literal('*').optional(),
  /** V4 `$batch` format: multipart (default) or OData 4.01 JSON (UNVERIFIED on SAP Gateway). */
  v4BatchFormat: z.enum(['multipart', 'json']).default('multipart'),
  /** Operations per `$batch` request (UNVERIFIED: SAP's limits are system-configured). */
  batchSize: z.number().int().positive().max(1000).default(100),
  /** SAP's 9999-12-31 "no end date": read as `null` (default) or kept as a date. */
  openEnd: z.enum(['null', 'keep']).default('null'),
  /** How far `changes()` re-reads behind its watermark, for late commits (default 5 minutes). */
  changesOverlapMs: z
    .number()
    .int()
    .nonnegative()
    .default(5 * 60_000),
  /** The SOAP-RFC path on the same host (sheet §7.1). */
  soapPath: z.string().startsWith('/').default('/sap/bc/soap/rfc'),
}

type CoreOptions = ConnectorOptions<typeof sapOptionsShape>

/**
 * What `sap()` accepts: the service root, the client, and auth through core: `basic` for a technical
 * user, `oauth2-client-credentials`, or a client certificate (`transport.tls.cert` + `key`) alone.
 */
export type SapOptions = Omit<CoreOptions, 'baseUrl'>
