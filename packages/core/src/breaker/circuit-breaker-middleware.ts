import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  type IBackoff,
  type IBackoffFactory,
  type IBreaker,
  IsolatedCircuitError,
  noJitterGenerator,
  SamplingBreaker,
} from 'cockatiel'
import { LRUCache } from 'lru-cache'
import { parseOptions } from '../config/parse-options.js'
import { requestPath } from '../observability/request-path.js'
import type { Middleware, PipelineContext } from '../pipeline/middleware-stack.js'
import type { JunctionRequest, JunctionResponse } from '../pipeline/request.js'
import { type BreakerOptions, breakerOptionsSchema, type ResolvedBreakerOptions } from './breaker-options.js'
import { breakerVerdict, isSystemFailure } from './breaker-verdict.js'
import { CircuitOpenError } from './circuit-open-error.js'

/** One key's breaker and when it will let a probe through. */
interface Circuit {
  policy: CircuitBreakerPolicy
  /** The counting half of `policy` (cockatiel's consecutive or sampling breaker). */
  breaker: IBreaker
  halfOpenAt: Date | undefined
}

/** A call the breaker let through, with an error the system's answer carried (not a failure). */
type Outcome<T> = { response: JunctionResponse<T> } | { answered: unknown }

const STATES = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
} as const

/**
 * A circuit breaker per connection, or per key (`options.key`), on cockatiel. While a breaker is
 * open, calls fail at once with `CircuitOpenError` without reaching the system; after an exponential
 * wait one probe goes through: its success closes the breaker, its failure opens it for longer.
 * Only errors that mean the system is unhealthy count as failures (see `isSystemFailure`); an answer
 * such as 404 or 422 counts as a success; aborts and caller deadlines are not counted, except that a
 * probe ending that way re-opens the breaker (it proved nothing). Every state change emits `breaker`.
 * Use one middleware instance per connector.
 */
export function circuitBreakerMiddleware(input: BreakerOptions = {}): Middleware {
  const options = parseOptions(breakerOptionsSchema, input, 'breaker')
  const isFailure = options.isFailure ?? isSystemFailure
  const keyOf = options.key
  const registries = new WeakMap<PipelineContext, LRUCache<string, Circuit>>()

  const registryFor = (context: PipelineContext): LRUCache<string, Circuit> => {
    let registry = registries.get(context)
    if (registry === undefined) {
      registry = new LRUCache<string, Circuit>({ max: options.maxKeys })
      registries.set(context, registry)
    }
    return registry
  }

  return (next, context) => {
    const registry = registryFor(context)
    const circuitFor = (key: string): Circuit => {
      let circuit = registry.get(key)
      if (circuit === undefined) {
        circuit = createCircuit(options, key, context, isFailure)
        registry.set(key, circuit)
      }
      return circuit
    }

    const refused = (request: JunctionRequest, key: string, circuit: Circuit): CircuitOpenError =>
      new CircuitOpenError({
        message: `${request.method} ${requestPath(request.url)} refused: the circuit breaker "${key}" is open`,
        system: context.system,
        method: request.method,
        path: requestPath(request.url),
        operation: request.operation?.name,
        entity: request.operation?.entity,
        key,
        halfOpenAt: circuit.halfOpenAt,
      })

    const translated = (request: JunctionRequest, key: string, circuit: Circuit) => (error: unknown) => {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
        throw refused(request, key, circuit)
      }
      throw error
    }

    // Open, half-open or isolated: every call goes through cockatiel's policy, which decides.
    const throughPolicy = <T>(request: JunctionRequest, key: string, circuit: Circuit) =>
      circuit.policy
        .execute(
          (): Promise<Outcome<T>> =>
            next<T>(request).then(
              (response) => ({ response }),
              (error: unknown) => {
                if (breakerVerdict(error, isFailure) === 'answer') return { answered: error }
                throw error
              },
            ),
        )
        .then(
          (outcome) => {
            if ('answered' in outcome) throw outcome.answered
            return outcome.response
          },
          translated(request, key, circuit),
        )

    // Closed, the state of a healthy system: the call runs outside cockatiel's two async frames
    // (bench:pipeline) and its outcome is counted as cockatiel counts it while closed. A success or
    // an answer goes to the breaker's own success(); a failure is handed to the policy, which counts
    // it and opens the circuit when the breaker says so; a neutral outcome is not counted.
    const whileClosed = <T>(request: JunctionRequest, key: string, circuit: Circuit) =>
      next<T>(request).then(
        (response) => {
          circuit.breaker.success(CircuitState.Closed)
          return response
        },
        (error: unknown): Promise<JunctionResponse<T>> => {
          const verdict = breakerVerdict(error, isFailure)
          if (verdict === 'answer') circuit.breaker.success(CircuitState.Closed)
          // Opened meanwhile by other calls: this failure changes nothing, and the caller sees it as is.
          if (verdict !== 'failure' || circuit.policy.state !== CircuitState.Closed) throw error
          return circuit.policy
            .execute(() => Promise.reject(error))
            .then(
              () => {
                throw error
              },
              translated(request, key, circuit),
            )
        },
      )

    return <T>(request: JunctionRequest): Promise<JunctionResponse<T>> => {
      const key = keyOf === undefined ? context.connection : keyOf(request)
      const circuit = circuitFor(key)
      return circuit.policy.state === CircuitState.Closed
        ? whileClosed<T>(request, key, circuit)
        : throughPolicy<T>(request, key, circuit)
    }
  }
}

function createCircuit(
  options: ResolvedBreakerOptions,
  key: string,
  context: PipelineContext,
  isFailure: (error: unknown) => boolean,
): Circuit {
  const breaker: IBreaker =
    options.mode === 'consecutive'
      ? new ConsecutiveBreaker(options.threshold)
      : new SamplingBreaker({
          threshold: options.threshold,
          duration: options.windowMs,
          minimumRps: options.minimumRequests / (options.windowMs / 1_000),
        })
  const backoff = new ExponentialBackoff({
    generator: noJitterGenerator,
    initialDelay: options.halfOpenAfter.initialDelayMs,
    maxDelay: options.halfOpenAfter.maxDelayMs,
    exponent: options.halfOpenAfter.exponent,
  })
  // The wait chosen when the breaker last opened: cockatiel keeps it private.
  let lastWaitMs = 0
  const policy = circuitBreaker(
    handleWhen((error) => {
      const verdict = breakerVerdict(error, isFailure)
      // A probe that ended without an answer (aborted, out of the caller's time) proved nothing:
      // cockatiel would close the breaker on it, so it counts as a failed probe instead.
      return verdict === 'failure' || (verdict === 'neutral' && policy.state === CircuitState.HalfOpen)
    }),
    {
      breaker,
      halfOpenAfter: observeWaits(backoff, (ms) => {
        lastWaitMs = ms
      }),
    },
  )
  const circuit: Circuit = { policy, breaker, halfOpenAt: undefined }
  policy.onStateChange((state) => {
    circuit.halfOpenAt = state === CircuitState.Open ? new Date(Date.now() + lastWaitMs) : undefined
    context.events.emit('breaker', {
      system: context.system,
      connection: context.connection,
      key,
      state: STATES[state],
      halfOpenAt: circuit.halfOpenAt,
    })
  })
  return circuit
}

/** Wraps a backoff so the wait it picks is seen (cockatiel keeps the open breaker's wait private). */
function observeWaits<C>(factory: IBackoffFactory<C>, seen: (ms: number) => void): IBackoffFactory<C> {
  const wrap = (backoff: IBackoff<C>): IBackoff<C> => {
    seen(backoff.duration)
    return { duration: backoff.duration, next: (context) => wrap(backoff.next(context)) }
  }
  return { next: (context) => wrap(factory.next(context)) }
}
