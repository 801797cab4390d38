/** Stable error codes: callers switch on these, never on messages. Adapters may add their own. */
export type JunctionErrorCode =
  | 'AUTH_FAILED'
  | 'SESSION_EXPIRED'
  | 'TOKEN_REQUEST_FAILED'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'DEADLINE_EXCEEDED'
  | 'ABORTED'
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'CONNECTION_FAILED'
  | 'CONNECTION_RESET'
  | 'TLS_FAILED'
  | 'MALFORMED_RESPONSE'
  | 'RESPONSE_TOO_LARGE'
  | 'UNEXPECTED_CONTENT'
  | 'INVALID_CONFIG'
  | 'NOT_SUPPORTED'
  | 'BAD_REQUEST'
  | 'FORBIDDEN'
  | 'SERVER_ERROR'
  | 'SERVICE_UNAVAILABLE'
  | 'HTTP_ERROR'
  | 'STORE_CLOSED'
  | 'STORE_FAILED'
  | 'AUDIT_CLOSED'
  | 'AUDIT_WRITE_FAILED'
  | 'CIRCUIT_OPEN'
  | (string & {})

/** Where a failure happened: enough to find it, never a secret. */
export interface ErrorOrigin {
  /** The system the call went to, e.g. `salesforce`. */
  system?: string | undefined
  /** The connector operation, e.g. `query`. */
  operation?: string | undefined
  /** The entity or table, e.g. `Account`. */
  entity?: string | undefined
  /** HTTP method and URL path (query string removed). */
  method?: string | undefined
  path?: string | undefined
}

/** The fields every Junction error is built from. */
export interface JunctionErrorOptions extends ErrorOrigin {
  code: JunctionErrorCode
  message: string
  /** HTTP status when the error came from a response. */
  status?: number | undefined
  /** Whether the same call may succeed if tried again. */
  retryable?: boolean | undefined
  /** The system's own error code, e.g. `INVALID_SESSION_ID`. */
  systemCode?: string | undefined
  /** A bounded, redacted excerpt of what the system sent back. */
  snippet?: string | undefined
  /** Structured detail (already redacted), e.g. the system's error body or validation issues. */
  details?: unknown
  /** How long the system asked to wait before another try (`Retry-After`), when it said. */
  retryAfterMs?: number | undefined
  /** When the system's rate-limit window frees (a reset header), when it said. */
  resetAt?: Date | undefined
  /** How many times `retry` sent the call again before giving up with this error. */
  retries?: number | undefined
  cause?: unknown
}

/** The one error family: every failure in Junction is a `JunctionError` with a stable `code`. */
export class JunctionError extends Error {
  override readonly name: string = 'JunctionError'
  readonly code: JunctionErrorCode
  readonly status: number | undefined
  readonly retryable: boolean
  readonly system: string | undefined
  readonly operation: string | undefined
  readonly entity: string | undefined
  readonly method: string | undefined
  readonly path: string | undefined
  readonly systemCode: string | undefined
  readonly snippet: string | undefined
  readonly details: unknown
  readonly retryAfterMs: number | undefined
  readonly resetAt: Date | undefined
  readonly retries: number

  constructor(options: JunctionErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = options.code
    this.status = options.status
    this.retryable = options.retryable ?? false
    this.system = options.system
    this.operation = options.operation
    this.entity = options.entity
    this.method = options.method
    this.path = options.path
    this.systemCode = options.systemCode
    this.snippet = options.snippet
    this.details = options.details
    this.retryAfterMs = options.retryAfterMs
    this.resetAt = options.resetAt
    this.retries = options.retries ?? 0
  }

  /** A plain object for logs and audit events (no stack, no cause chain). */
  toJSON(): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries({
        name: this.name,
        code: this.code,
        message: this.message,
        status: this.status,
        retryable: this.retryable,
        system: this.system,
        operation: this.operation,
        entity: this.entity,
        method: this.method,
        path: this.path,
        systemCode: this.systemCode,
        snippet: this.snippet,
        details: this.details,
        retryAfterMs: this.retryAfterMs,
        resetAt: this.resetAt?.toISOString(),
        retries: this.retries === 0 ? undefined : this.retries,
      }).filter(([, value]) => value !== undefined),
    )
  }
}

/** True when `error` is a JunctionError, optionally with one of the given codes. */
export function isJunctionError(error: unknown, ...codes: JunctionErrorCode[]): error is JunctionError {
  return error instanceof JunctionError && (codes.length === 0 || codes.includes(error.code))
}
