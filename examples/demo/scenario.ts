import type { MetricsRecorder } from '@junction/core'

/** What the demo hands each scenario. */
export interface ScenarioContext {
  /** Records every request of the scenario's connectors; the demo's per-system figures come from it. */
  metrics: MetricsRecorder
  /** The scenario's own hash-chained JSONL audit trail, verified by the demo afterwards. */
  auditFile: string
  /** Redis instead of the embedded stores, when set. */
  redisUrl: string | undefined
  log: (line: string) => void
}

/** What a scenario tells the demo. */
export interface ScenarioOutcome {
  /** Records read from or written to a system. */
  records: number
  /** One line on what happened. */
  summary: string
  /** Reads answered from the cache and reads that went to the system, where the scenario caches. */
  cache?: { hits: number; misses: number } | undefined
}

/** One of the examples, as the demo runs it. */
export interface Scenario {
  name: string
  title: string
  run(context: ScenarioContext): Promise<ScenarioOutcome>
}
