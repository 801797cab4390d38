import { join } from 'node:path'
import { createMetrics, verifyAuditLog } from '@junction/core'
import type { Scenario } from './scenario.js'
import { SCENARIOS } from './scenarios.js'

/** How the demo runs. */
export interface DemoOptions {
  /** Where the audit trails go (one JSONL file per scenario). */
  workDir: string
  /** Redis instead of the embedded stores, for the scenarios that keep state. */
  redisUrl?: string | undefined
  log?: (line: string) => void
  /** Which scenarios to run (default: all of them). */
  scenarios?: readonly Scenario[]
}

/** What one system's connectors did over the whole demo. */
export interface SystemFigures {
  system: string
  calls: number
  errors: number
  retries: number
  p50Ms: number
  p95Ms: number
}

/** What the demo did: the report it prints, and what its test checks. */
export interface DemoReport {
  backend: 'memory' | 'redis'
  scenarios: Array<{ name: string; title: string; records: number; summary: string; ms: number }>
  recordsMoved: number
  systems: SystemFigures[]
  /** Share of cacheable reads answered from the cache, where a scenario caches. */
  cacheHitRate: number | undefined
  audit: { files: number; events: number; verified: boolean }
  elapsedMs: number
}

/**
 * Runs the examples one after another, each against its simulators on loopback, all observed by one
 * metrics recorder, each writing its own hash-chained audit trail; then verifies every trail and adds
 * the figures up per system.
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const log = options.log ?? (() => {})
  const metrics = createMetrics()
  const started = performance.now()
  const scenarios: DemoReport['scenarios'] = []
  const auditFiles: string[] = []
  let cache = { hits: 0, misses: 0 }
  for (const scenario of options.scenarios ?? SCENARIOS) {
    const auditFile = join(options.workDir, `${scenario.name}-audit.jsonl`)
    auditFiles.push(auditFile)
    log(`\n== ${scenario.title}`)
    const scenarioStarted = performance.now()
    const outcome = await scenario.run({
      metrics,
      auditFile,
      redisUrl: options.redisUrl,
      log: (line) => log(`  ${line}`),
    })
    if (outcome.cache !== undefined) {
      cache = { hits: cache.hits + outcome.cache.hits, misses: cache.misses + outcome.cache.misses }
    }
    scenarios.push({
      name: scenario.name,
      title: scenario.title,
      records: outcome.records,
      summary: outcome.summary,
      ms: performance.now() - scenarioStarted,
    })
  }

  let events = 0
  let verified = true
  for (const file of auditFiles) {
    const verification = await verifyAuditLog(file)
    events += verification.lines
    verified &&= verification.ok
  }
  const cached = cache.hits + cache.misses
  return {
    backend: options.redisUrl === undefined ? 'memory' : 'redis',
    scenarios,
    recordsMoved: scenarios.reduce((sum, scenario) => sum + scenario.records, 0),
    systems: metrics.snapshot().systems.map((system) => ({
      system: system.system,
      calls: system.count,
      errors: system.errors,
      retries: system.retries,
      p50Ms: system.latencyMs.p50,
      p95Ms: system.latencyMs.p95,
    })),
    cacheHitRate: cached === 0 ? undefined : cache.hits / cached,
    audit: { files: auditFiles.length, events, verified },
    elapsedMs: performance.now() - started,
  }
}
