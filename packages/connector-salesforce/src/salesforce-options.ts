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
  /** REST API version, e.g. `v62.0` (Collections upsert needs v46.0 or later). */
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d$/, 'must look like v62.0')
    .default(DEFAULT_API_VERSION),
  /** Sent as `Sforce-Call-Options: client=…`; shows up in CDC `changeOrigin` and login history. */
  clientName: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .optional(),
  /**
   * Writes of more records than this go through Bulk API 2.0 instead of sObject Collections
   * (about 2,000 is where a Bulk job's fixed cost of ~6 calls pays off); `false` never uses Bulk.
   */
  bulkThreshold: z.number().int().positive().or(z.literal(false)).default(2000),
  /**
   * Collections calls in flight at once when a write spans several (default 4; jsforce allows 10).
   * Parallel writes to records sharing a parent can contend for locks: those records are re-sent.
   */
  collectionConcurrency: z.number().int().min(1).max(25).default(4),
  /**
   * Query pages in flight at once during a read (default 4; 1 follows each `nextRecordsUrl` only once
   * the page naming it has arrived, as jsforce does). Pages past the next are asked for by locator,
   * whose format is observed, not documented (UNVERIFIED): a page is used only when it is exactly the
   * page the links lead to, so a wrong guess costs API calls, never records.
   */
  queryConcurrency: z.number().int().min(1).max(10).default(4),
  /** How Bulk API 2.0 jobs are polled and read. */
  bulk: z
    .object({
      /** Wait between job status polls (jsforce: 1 s). */
      pollIntervalMs: z.number().int().nonnegative().default(1000),
      /** Give up polling after this long; the job keeps running and its id is in the error. */
      pollTimeoutMs: z
        .number()
        .int()
        .positive()
        .default(30 * 60_000),
      /** Rows per query results page: what bounds memory while streaming a Bulk query. */
      maxRecordsPerPage: z.number().int().positive().default(10_000),
    })
    .prefault({}),
  /** How long a describe answer is reused (default 10 minutes). */
  describeTtlMs: z
    .number()
    .int()
    .nonnegative()
    .default(10 * 60_000),
  /** Rounds of re-sending Collections records that failed with `UNABLE_TO_LOCK_ROW` (default 3). */
  lockRetries: z.number().int().nonnegative().default(3),
  /** Base wait before re-sending locked records, doubled each round, with full jitter (default 250 ms). */
  lockRetryDelayMs: z.number().int().nonnegative().default(250),
}

// Salesforce's token endpoint is always `{loginUrl}/services/oauth2/token`, so OAuth configs may leave
// `tokenUrl` out; the connector fills it in from `loginUrl`.
type WithOptionalTokenUrl<T> = T extends { tokenUrl: string }
  ? Omit<T, 'tokenUrl'> & { tokenUrl?: string }
  : T

/**
 * The `auth` option: a core auth config (OAuth grants may omit `tokenUrl`), or a ready provider.
 * `oauth2-client-credentials` runs on the My Domain host (set `loginUrl` to it); `oauth2-jwt-bearer`
 * and `oauth2-refresh-token` (rotation handed to `onRefreshTokenRotated`) on the login host;
 * `oauth2-password` is the legacy username-password flow, which orgs increasingly block.
 */
export type SalesforceAuth = WithOptionalTokenUrl<AuthConfig> | AuthProvider

/** What `salesforce()` accepts. */
export type SalesforceOptions = Omit<ConnectorOptions<typeof salesforceOptionsShape>, 'auth' | 'baseUrl'> & {
  auth: SalesforceAuth
}
