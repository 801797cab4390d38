import { JunctionError, type JunctionErrorOptions } from '../errors/junction-error.js'

/** Options of a {@link CircuitOpenError}: where the call went and which breaker refused it. */
export type CircuitOpenErrorOptions = Omit<JunctionErrorOptions, 'code' | 'retryable'> & {
  key: string
  halfOpenAt?: Date | undefined
}

/**
 * The circuit breaker for `key` is open: the call was refused without reaching the system.
 * `halfOpenAt` is the earliest time a probe call will be let through. Not retryable: retrying at
 * once would only meet the open breaker again.
 */
export class CircuitOpenError extends JunctionError {
  override readonly name = 'CircuitOpenError'
  /** The breaker that refused the call: the connection, or the endpoint key. */
  readonly key: string
  /** When the breaker will let a probe through, when known. */
  readonly halfOpenAt: Date | undefined

  constructor(options: CircuitOpenErrorOptions) {
    super({ ...options, code: 'CIRCUIT_OPEN', retryable: false })
    this.key = options.key
    this.halfOpenAt = options.halfOpenAt
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      key: this.key,
      ...(this.halfOpenAt === undefined ? {} : { halfOpenAt: this.halfOpenAt.toISOString() }),
    }
  }
}
