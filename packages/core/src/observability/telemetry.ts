import { z } from 'zod'
import { hasMethods } from '../config/has-methods.js'
import type { OperationInfo } from '../pipeline/request.js'
import type { JunctionEventMap, JunctionEvents } from './junction-events.js'
import { trackOperationRetries } from './retry-count.js'

// Structural slices of @opentelemetry/api, so that core's types never import it (it is an optional
// peer): an OpenTelemetry `Tracer` and `Meter` satisfy them as they are.

/** Attribute values Junction sets. */
export type TelemetryAttributes = Record<string, string | number | boolean>

/** The part of an OpenTelemetry `Span` Junction uses. */
export interface TelemetrySpan {
  setAttribute(key: string, value: string | number | boolean): unknown
  /** `code` as in OpenTelemetry's `SpanStatusCode` (2 is ERROR). */
  setStatus(status: { code: number; message?: string }): unknown
  end(): void
}

/** The part of an OpenTelemetry `Tracer` Junction uses. */
export interface TelemetryTracer {
  startSpan(name: string, options?: { attributes?: TelemetryAttributes }): TelemetrySpan
}

/** The part of an OpenTelemetry `Histogram` Junction uses. */
export interface TelemetryHistogram {
  record(value: number, attributes?: TelemetryAttributes): void
}

/** The part of an OpenTelemetry `Counter` Junction uses. */
export interface TelemetryCounter {
  add(value: number, attributes?: TelemetryAttributes): void
}

/** The part of an OpenTelemetry `Meter` Junction uses. */
export interface TelemetryMeter {
  createHistogram(name: string, options?: { description?: string; unit?: string }): TelemetryHistogram
  createCounter(name: string, options?: { description?: string; unit?: string }): TelemetryCounter
}

/** The `telemetry` connector option: an OpenTelemetry tracer and/or meter from the caller. */
export const telemetryOptionsSchema = z.strictObject({
  tracer: z.custom<TelemetryTracer>(hasMethods('startSpan'), 'expected an OpenTelemetry Tracer').optional(),
  meter: z
    .custom<TelemetryMeter>(hasMethods('createHistogram', 'createCounter'), 'expected an OpenTelemetry Meter')
    .optional(),
})

/** What `telemetry` accepts: `{ tracer: trace.getTracer('my-service'), meter: metrics.getMeter('my-service') }`. */
export type TelemetryOptions = z.input<typeof telemetryOptionsSchema>

/** The operation a span covers; pass the very `OperationInfo` object its requests carry. */
export interface OperationSpanOrigin {
  system: string
  connection: string
  operation: OperationInfo
}

/** How an operation ended, as the audit event records it. */
export interface OperationOutcome {
  outcome: 'success' | 'failure' | 'partial'
  errorCode?: string | undefined
  recordCount?: number | undefined
}

/** One operation's span (and duration measurement); end it exactly once. */
export interface OperationSpan {
  end(outcome: OperationOutcome): void
}

/** OpenTelemetry for one connector: operation spans, and request instruments fed by its events. */
export interface Telemetry {
  /** Starts the span of one connector operation; retries counted by the observe middleware land on it. */
  startOperationSpan(origin: OperationSpanOrigin): OperationSpan
  /** Records `junction.request.duration` and `junction.request.errors` from `request:end` events. */
  observe(events: JunctionEvents): () => void
}

const SPAN_STATUS_ERROR = 2
const NO_OPERATION = '(none)'

/**
 * Creates the telemetry of a connector from a caller's OpenTelemetry tracer and meter (either may be
 * omitted; with neither, everything is a no-op). Instruments: `junction.operation.duration` and
 * `junction.request.duration` (histograms, seconds) and `junction.request.errors` (counter).
 */
export function createTelemetry(options: TelemetryOptions = {}): Telemetry {
  const { tracer, meter } = options
  const operationDuration = meter?.createHistogram('junction.operation.duration', {
    description: 'Duration of connector operations',
    unit: 's',
  })
  const requestDuration = meter?.createHistogram('junction.request.duration', {
    description: 'Duration of requests to a system, retries included',
    unit: 's',
  })
  const requestErrors = meter?.createCounter('junction.request.errors', {
    description: 'Requests to a system that ended in an error',
  })

  return {
    startOperationSpan({ system, connection, operation }) {
      const started = performance.now()
      const tally = trackOperationRetries(operation)
      const attributes: TelemetryAttributes = {
        'junction.system': system,
        'junction.connection': connection,
        'junction.operation': operation.name,
        ...(operation.entity === undefined ? {} : { 'junction.entity': operation.entity }),
      }
      const span = tracer?.startSpan(`${system}.${operation.name}`, { attributes })
      let ended = false
      return {
        end(result) {
          if (ended) return
          ended = true
          const outcome: TelemetryAttributes = {
            ...attributes,
            'junction.outcome': result.outcome,
            ...(result.errorCode === undefined ? {} : { 'error.type': result.errorCode }),
          }
          operationDuration?.record((performance.now() - started) / 1_000, outcome)
          if (span === undefined) return
          span.setAttribute('junction.outcome', result.outcome)
          span.setAttribute('junction.retries', tally.retries)
          if (result.recordCount !== undefined) span.setAttribute('junction.record_count', result.recordCount)
          if (result.errorCode !== undefined) span.setAttribute('error.type', result.errorCode)
          // Only the code: messages are scrubbed, but a code is safe by construction.
          if (result.outcome === 'failure')
            span.setStatus({ code: SPAN_STATUS_ERROR, message: result.errorCode })
          span.end()
        },
      }
    },
    observe(events) {
      if (requestDuration === undefined || requestErrors === undefined) return () => {}
      return events.on('request:end', (event: JunctionEventMap['request:end']) => {
        const attributes: TelemetryAttributes = {
          'junction.system': event.system,
          'junction.connection': event.connection,
          'junction.operation': event.operation ?? NO_OPERATION,
          'junction.outcome': event.errorCode === undefined ? 'success' : 'failure',
          ...(event.errorCode === undefined ? {} : { 'error.type': event.errorCode }),
        }
        requestDuration.record(event.durationMs / 1_000, attributes)
        if (event.errorCode !== undefined) requestErrors.add(1, attributes)
      })
    },
  }
}
