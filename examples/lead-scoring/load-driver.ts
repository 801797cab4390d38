import { Agent, request } from 'undici'

/** Latency percentiles of a set of requests, in milliseconds (nearest rank, exact). */
export interface Latency {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** One slice of the run, in the order the requests were sent. */
export interface LoadWindow {
  /** Index of the first request in the slice (0-based) and one past the last. */
  from: number
  to: number
  hitRate: number
  latencyMs: Latency
}

/** What the CRM saw: latency end to end over HTTP, answers by status, hits by the endpoint's `x-cache`. */
export interface LoadReport {
  requests: number
  distinctLeads: number
  concurrency: number
  durationMs: number
  statuses: Record<string, number>
  latencyMs: Latency
  /** Requests whose `x-cache` said `hit`, over all requests. */
  hitRate: number
  byCache: { hit: Latency; miss: Latency }
  windows: LoadWindow[]
}

/** How to drive the endpoint. */
export interface LoadOptions {
  /** The endpoint's base URL. */
  url: string
  /** The ids to ask for, in order (see `requestMix`). */
  ids: readonly string[]
  /** Requests in flight at once, each on its own kept-alive connection. */
  concurrency: number
  /** Requests per reported window. */
  windowSize: number
}

interface Sample {
  ms: number
  status: number
  hit: boolean
}

const round = (value: number): number => Math.round(value * 100) / 100

/** Exact percentiles by nearest rank over the samples' latencies. */
export function latencyOf(samples: readonly { ms: number }[]): Latency {
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b)
  const at = (p: number): number => round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0)
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: round(sorted.at(-1) ?? 0) }
}

const hitRateOf = (samples: readonly Sample[]): number =>
  samples.length === 0 ? 0 : samples.filter((sample) => sample.hit).length / samples.length

/**
 * Sends `GET /leads/:id/score` for each id, `concurrency` at a time (each worker takes the next id as
 * soon as its answer is read), and times each call from send to the last byte of the answer.
 */
export async function driveLoad(options: LoadOptions): Promise<LoadReport> {
  const agent = new Agent({ connections: options.concurrency, keepAliveTimeout: 10_000 })
  const samples: Sample[] = new Array(options.ids.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < options.ids.length) {
      const index = next++
      const started = performance.now()
      const response = await request(`${options.url}/leads/${options.ids[index]}/score`, {
        dispatcher: agent,
      })
      await response.body.json()
      samples[index] = {
        ms: performance.now() - started,
        status: response.statusCode,
        hit: response.headers['x-cache'] === 'hit',
      }
    }
  }
  const started = performance.now()
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker))
  } finally {
    await agent.close()
  }
  const durationMs = Math.round(performance.now() - started)

  const statuses: Record<string, number> = {}
  for (const sample of samples) statuses[sample.status] = (statuses[sample.status] ?? 0) + 1
  const windows: LoadWindow[] = []
  for (let from = 0; from < samples.length; from += options.windowSize) {
    const slice = samples.slice(from, from + options.windowSize)
    windows.push({ from, to: from + slice.length, hitRate: hitRateOf(slice), latencyMs: latencyOf(slice) })
  }
  return {
    requests: samples.length,
    distinctLeads: new Set(options.ids.map((id) => id.slice(0, 15))).size,
    concurrency: options.concurrency,
    durationMs,
    statuses,
    latencyMs: latencyOf(samples),
    hitRate: hitRateOf(samples),
    byCache: {
      hit: latencyOf(samples.filter((sample) => sample.hit)),
      miss: latencyOf(samples.filter((sample) => !sample.hit)),
    },
    windows,
  }
}
