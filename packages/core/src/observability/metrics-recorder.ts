import { build, type Histogram } from 'hdr-histogram-js'
import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import type { JunctionEventMap, JunctionEvents } from './junction-events.js'

/** Options of {@link createMetrics}. */
export const metricsOptionsSchema = z.strictObject({
  /** Most (connection, operation) series kept; requests of further series are counted as `dropped`. */
  maxSeries: z.number().int().positive().default(500),
  /** Significant digits of the latency histograms: 2 is within 1% at ~13 KB per series. */
  significantDigits: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
  /** Longest latency told apart; longer ones are recorded as this. */
  maxLatencyMs: z.number().int().positive().default(600_000),
})

/** Options of {@link createMetrics}, as a caller writes them. */
export type MetricsOptions = z.input<typeof metricsOptionsSchema>

/** Latency percentiles in milliseconds (microsecond resolution). */
export interface LatencySummary {
  p50: number
  p95: number
  p99: number
  max: number
  mean: number
}

/** What one connection's requests for one operation did. */
export interface SeriesSnapshot {
  system: string
  connection: string
  /** The operation name, or `(none)` for requests sent outside an operation. */
  operation: string
  /** Requests observed (one per request, however many attempts retry made). */
  count: number
  /** Requests that ended in an error. */
  errors: number
  errorsByCode: Record<string, number>
  /** Retries made beneath those requests. */
  retries: number
  latencyMs: LatencySummary
}

/** What every connection of one system did, all operations together. */
export interface SystemSnapshot {
  system: string
  count: number
  errors: number
  retries: number
  latencyMs: LatencySummary
}

/** The last state each circuit breaker reported. */
export interface BreakerSnapshot {
  system: string
  connection: string
  key: string
  state: 'open' | 'half-open' | 'closed'
}

/** A plain-JSON picture of everything recorded so far. */
export interface MetricsSnapshot {
  takenAt: string
  series: SeriesSnapshot[]
  /** The series added up per system (e.g. p95 of every Salesforce call), merged when the snapshot is taken. */
  systems: SystemSnapshot[]
  breakers: BreakerSnapshot[]
  /** Requests not recorded because `maxSeries` was reached. */
  dropped: number
}

/** Counts, errors by code and latency percentiles per connection and operation, in bounded memory. */
export interface MetricsRecorder {
  /** Subscribes to a connector's events (`request:end`, `breaker`); returns a function that unsubscribes. */
  observe(events: JunctionEvents): () => void
  /** Records one finished request (what `observe` does for each `request:end`). */
  record(event: JunctionEventMap['request:end']): void
  snapshot(): MetricsSnapshot
  /** Forgets everything recorded. */
  reset(): void
}

interface Series {
  system: string
  connection: string
  operation: string
  count: number
  errors: number
  errorsByCode: Map<string, number>
  retries: number
  latencyUs: Histogram
}

const NO_OPERATION = '(none)'
const US_PER_MS = 1_000

/** Creates a {@link MetricsRecorder} on HDR histograms (hdr-histogram-js, its pure-JS build). */
export function createMetrics(input: MetricsOptions = {}): MetricsRecorder {
  const options = parseOptions(metricsOptionsSchema, input, 'metrics')
  const maxUs = options.maxLatencyMs * US_PER_MS
  // Keyed by connection, then operation: no key string is built per request.
  const series = new Map<string, Map<string, Series>>()
  let seriesCount = 0
  const breakers = new Map<string, BreakerSnapshot>()
  let dropped = 0

  const histogram = (): Histogram =>
    build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: maxUs,
      numberOfSignificantValueDigits: options.significantDigits,
      autoResize: false,
      useWebAssembly: false,
    })

  const seriesFor = (event: JunctionEventMap['request:end']): Series | undefined => {
    const operation = event.operation ?? NO_OPERATION
    let operations = series.get(event.connection)
    if (operations === undefined) {
      operations = new Map()
      series.set(event.connection, operations)
    }
    let found = operations.get(operation)
    if (found === undefined) {
      if (seriesCount >= options.maxSeries) return undefined
      found = {
        system: event.system,
        connection: event.connection,
        operation,
        count: 0,
        errors: 0,
        errorsByCode: new Map(),
        retries: 0,
        latencyUs: histogram(),
      }
      operations.set(operation, found)
      seriesCount++
    }
    return found
  }

  const record = (event: JunctionEventMap['request:end']): void => {
    const target = seriesFor(event)
    if (target === undefined) {
      dropped++
      return
    }
    target.count++
    target.retries += event.retries
    if (event.errorCode !== undefined) {
      target.errors++
      target.errorsByCode.set(event.errorCode, (target.errorsByCode.get(event.errorCode) ?? 0) + 1)
    }
    const us = Math.round(event.durationMs * US_PER_MS)
    target.latencyUs.recordValue(Math.min(Math.max(us, 1), maxUs))
  }

  return {
    observe(events) {
      const offEnd = events.on('request:end', record)
      const offBreaker = events.on('breaker', (event) => {
        breakers.set(`${event.connection}\u0000${event.key}`, {
          system: event.system,
          connection: event.connection,
          key: event.key,
          state: event.state,
        })
      })
      return () => {
        offEnd()
        offBreaker()
      }
    },
    record,
    snapshot() {
      const all = [...series.values()].flatMap((operations) => [...operations.values()])
      const bySystem = new Map<string, Series>()
      for (const one of all) {
        let total = bySystem.get(one.system)
        if (total === undefined) {
          total = { ...one, count: 0, errors: 0, retries: 0, errorsByCode: new Map(), latencyUs: histogram() }
          bySystem.set(one.system, total)
        }
        total.count += one.count
        total.errors += one.errors
        total.retries += one.retries
        total.latencyUs.add(one.latencyUs)
      }
      return {
        takenAt: new Date().toISOString(),
        series: all.map(summarize),
        systems: [...bySystem.values()].map((total) => {
          const { system, count, errors, retries, latencyMs } = summarize(total)
          return { system, count, errors, retries, latencyMs }
        }),
        breakers: [...breakers.values()].map((breaker) => ({ ...breaker })),
        dropped,
      }
    },
    reset() {
      series.clear()
      seriesCount = 0
      breakers.clear()
      dropped = 0
    },
  }
}

function summarize(series: Series): SeriesSnapshot {
  const histogram = series.latencyUs
  const max = histogram.maxValue
  // A percentile is reported as the top of its bucket, which can lie above the largest value seen.
  const ms = (us: number): number => Math.round(Math.min(us, max)) / US_PER_MS
  return {
    system: series.system,
    connection: series.connection,
    operation: series.operation,
    count: series.count,
    errors: series.errors,
    errorsByCode: Object.fromEntries(series.errorsByCode),
    retries: series.retries,
    latencyMs: {
      p50: ms(histogram.getValueAtPercentile(50)),
      p95: ms(histogram.getValueAtPercentile(95)),
      p99: ms(histogram.getValueAtPercentile(99)),
      max: ms(max),
      mean: ms(histogram.mean),
    },
  }
}
