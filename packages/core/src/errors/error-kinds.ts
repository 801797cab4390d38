import { JunctionError, type JunctionErrorCode, type JunctionErrorOptions } from './junction-error.js'

type KindOptions<C extends JunctionErrorCode> = Omit<JunctionErrorOptions, 'code'> & { code?: C }

/** Credentials were refused, expired, or could not be obtained. */
export class AuthError extends JunctionError {
  override readonly name = 'AuthError'
  constructor(options: KindOptions<'AUTH_FAILED' | 'SESSION_EXPIRED' | 'TOKEN_REQUEST_FAILED'>) {
    super({ ...options, code: options.code ?? 'AUTH_FAILED' })
  }
}

/** The system throttled the call; `retryAfterMs` / `resetAt` say when the window frees, when known. */
export class RateLimitError extends JunctionError {
  override readonly name = 'RateLimitError'
  constructor(options: KindOptions<'RATE_LIMITED'>) {
    super({ ...options, code: options.code ?? 'RATE_LIMITED', retryable: options.retryable ?? true })
  }
}

/** A connect, headers, body or overall deadline ran out, or the caller aborted. */
export class TimeoutError extends JunctionError {
  override readonly name = 'TimeoutError'
  constructor(options: KindOptions<'TIMEOUT' | 'DEADLINE_EXCEEDED' | 'ABORTED'>) {
    const code = options.code ?? 'TIMEOUT'
    super({ ...options, code, retryable: options.retryable ?? code === 'TIMEOUT' })
  }
}

/** Input (from a caller or a system) did not match its schema; `details` lists the issues. */
export class ValidationError extends JunctionError {
  override readonly name = 'ValidationError'
  constructor(options: KindOptions<'VALIDATION_FAILED'>) {
    super({ ...options, code: options.code ?? 'VALIDATION_FAILED', retryable: false })
  }
}

/** The record or resource does not exist. */
export class NotFoundError extends JunctionError {
  override readonly name = 'NotFoundError'
  constructor(options: KindOptions<'NOT_FOUND'>) {
    super({ ...options, code: options.code ?? 'NOT_FOUND', retryable: false })
  }
}

/** The write lost a race: a stale version, a duplicate, or an ambiguous match. */
export class ConflictError extends JunctionError {
  override readonly name = 'ConflictError'
  constructor(options: KindOptions<'CONFLICT'>) {
    super({ ...options, code: options.code ?? 'CONFLICT', retryable: false })
  }
}

/** The connection or the bytes on it failed: refused, reset, TLS, malformed or oversize bodies. */
export class TransportError extends JunctionError {
  override readonly name = 'TransportError'
  constructor(
    options: KindOptions<
      | 'CONNECTION_FAILED'
      | 'CONNECTION_RESET'
      | 'TLS_FAILED'
      | 'MALFORMED_RESPONSE'
      | 'RESPONSE_TOO_LARGE'
      | 'UNEXPECTED_CONTENT'
    >,
  ) {
    super({ ...options, code: options.code ?? 'CONNECTION_FAILED' })
  }
}

/** Options given to a factory were invalid; `option` names the offending path. */
export class ConfigError extends JunctionError {
  override readonly name = 'ConfigError'
  readonly option: string | undefined
  constructor(options: KindOptions<'INVALID_CONFIG'> & { option?: string }) {
    super({ ...options, code: options.code ?? 'INVALID_CONFIG', retryable: false })
    this.option = options.option
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), ...(this.option === undefined ? {} : { option: this.option }) }
  }
}
