import type { Readable } from 'node:stream'

/** HTTP methods the pipeline sends; `MERGE` is OData V2's partial update. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'MERGE'

/** A query-string value; arrays repeat the parameter. */
export type QueryParamValue = string | number | boolean | undefined | readonly (string | number | boolean)[]

/** A request body, tagged by how it is encoded on the wire. */
export type RequestBody =
  | { type: 'json'; value: unknown }
  | { type: 'form'; value: Readonly<Record<string, string>> | URLSearchParams }
  | { type: 'text'; value: string; contentType?: string }
  | { type: 'xml'; value: string; contentType?: string }
  | { type: 'multipart'; value: FormData }
  | {
      type: 'raw'
      value: string | Uint8Array | Readable | AsyncIterable<Uint8Array>
      contentType: string
    }

/**
 * How the transport reads the response body.
 * `auto` parses by content type; `json` insists on JSON (an HTML page with 200 is an error);
 * `stream` hands back the body unread (error statuses are always read and parsed).
 */
export type ResponseType = 'auto' | 'json' | 'text' | 'buffer' | 'stream'

/** The connector operation a request belongs to: what audit, metrics and retry classify by. */
export interface OperationInfo {
  /** e.g. `get`, `query`, `upsert`, or an adapter-specific name such as `describe`. */
  name: string
  entity?: string | undefined
}

/**
 * Asks the `cache` middleware to answer a read from the cache; requests without one are never cached.
 * Times default to the middleware's options.
 */
export interface CacheDirective {
  /** The cache key within the tenant and connection (default: derived from method, URL, query and body). */
  key?: string | undefined
  /** How long a response stays fresh, in milliseconds. */
  ttlMs?: number | undefined
  /** How long after that a stale response is served at once while one background refresh runs. */
  staleMs?: number | undefined
  /** How long after freshness a stale response stands in when a refresh fails with a retryable error. */
  staleIfErrorMs?: number | undefined
  /** Invalidation tags, e.g. `recordTag('Account', id)` for each record in the response. */
  tags?: readonly string[] | undefined
}

/** One HTTP call as it travels down the middleware stack. Middleware returns a modified copy. */
export interface JunctionRequest {
  method: HttpMethod
  /** Absolute URL without a query string, e.g. `https://acme.my.salesforce.com/services/data/v62.0/query`. */
  url: string
  query?: Readonly<Record<string, QueryParamValue>> | undefined
  headers: Readonly<Record<string, string>>
  body?: RequestBody | undefined
  responseType?: ResponseType | undefined
  operation?: OperationInfo | undefined
  /** Safe to send twice. Defaults to true for GET, HEAD, PUT, DELETE, OPTIONS. */
  idempotent?: boolean | undefined
  signal?: AbortSignal | undefined
  /** Overall deadline for this call in milliseconds; overrides the transport default. */
  timeoutMs?: number | undefined
  /** Queue order under a rate limit: `interactive` goes ahead of `batch`; or 0 (first) to 9 (last). */
  priority?: RequestPriority | undefined
  /** Makes this read cacheable (see the `cache` middleware). */
  cache?: CacheDirective | undefined
}

/** How urgent a request is when the rate limiter queues it. */
export type RequestPriority = 'interactive' | 'batch' | number

/** Response headers, lower-cased; repeated headers (e.g. `set-cookie`) are arrays. */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>

/** What a handler resolves with; `body` is parsed according to the request's `responseType`. */
export interface JunctionResponse<T = unknown> {
  status: number
  headers: ResponseHeaders
  body: T
  /** The final URL, query string included. */
  url: string
  /** How many times `retry` sent the request again before this response (absent when none). */
  retries?: number | undefined
}

/** A step of the pipeline: takes a request, resolves a response or throws a `JunctionError`. */
export type Handler = <T = unknown>(request: JunctionRequest) => Promise<JunctionResponse<T>>

/** The first value of a response header, case-insensitive. */
export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

/** Whether a request may be sent again without changing its effect. */
export function isIdempotent(request: Pick<JunctionRequest, 'method' | 'idempotent'>): boolean {
  return request.idempotent ?? ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(request.method)
}
