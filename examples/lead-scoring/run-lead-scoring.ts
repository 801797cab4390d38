import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { type SalesforceConnector, salesforce } from '@junction/connector-salesforce'
import { salesforceSimulator } from '@junction/connector-salesforce/testing'
import {
  type AuditLogVerification,
  auditTrail,
  type CacheStore,
  cacheNamespace,
  createMetrics,
  type EntityRecord,
  invalidateRecords,
  jsonlAudit,
  type MetricsRecorder,
  memoryCache,
  parseAuditEvent,
  redisCache,
  verifyAuditLog,
} from '@junction/core'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { MODEL_NAME, MODEL_VERSION } from './lead-model.js'
import { driveLoad, type LoadReport } from './load-driver.js'
import { requestMix } from './request-mix.js'
import { startScoreEndpoint } from './score-endpoint.js'
import { type ScoringSummary, scoreLeads } from './score-leads.js'
import { LEAD_FIELDS, seedLeads } from './seed-leads.js'

/** How big a run is, and where its cache and audit trail live. */
export interface LeadScoringOptions {
  /** The hash-chained JSONL audit log to write (decisions and the connector's operations). */
  auditFile: string
  /** Leads seeded in the simulated org (default 300). */
  leads?: number
  /** Calls the simulated CRM makes to the endpoint (default 10,000). */
  requests?: number
  /** Calls in flight at once (default 16). */
  concurrency?: number
  /** Zipf exponent of the calls' spread over the leads (default 1.1). */
  zipfExponent?: number
  /** Share of calls that name a lead by its 15-character id (default 0.1). */
  shortIdShare?: number
  /** Latency the simulated Salesforce adds to every call, token calls included (default 300 ms). */
  salesforceLatencyMs?: number
  /** How long the endpoint serves a lead's score from cache (default 10 minutes). */
  cacheTtlMs?: number
  /** Seed of the leads and of the request mix (default 42). */
  seed?: number
  /** With a Redis URL the cache is `redisCache` (keys under a prefix of this run); else `memoryCache`. */
  redisUrl?: string | undefined
  /** Requests per window in the report (default 2,000). */
  windowSize?: number
  log?: (line: string) => void
  /** Also records every request of the run's connectors (a demo adding up its systems). */
  metrics?: MetricsRecorder | undefined
}

/** What a run did and measured. */
export interface LeadScoringReport {
  model: { name: string; version: string }
  cache: 'memory' | 'redis'
  salesforceLatencyMs: number
  scoring: ScoringSummary
  endpoint: LoadReport & {
    /** From the connector's `cache` events: reads answered by the cache (`fresh` or `stale`) and misses. */
    cacheEvents: { hits: number; misses: number; hitRate: number }
    /** Calls the endpoint's connector sent to Salesforce (core metrics), with their latency. */
    salesforceCalls: { count: number; p50Ms: number; p95Ms: number }
  }
  /** REST calls the simulated org counted over the whole run (the token endpoint is not one). */
  orgApiCalls: number
  /** The org's leads as they stand after the run, read from the simulator (not through the API). */
  storedLeads: EntityRecord[]
  audit: {
    file: string
    events: number
    decisions: number
    operations: Record<string, number>
    verification: AuditLogVerification
  }
}

const ACTOR = 'svc-lead-scoring'

/**
 * The seed's CRM case end to end: a simulated Salesforce org on loopback (every call delayed by
 * `salesforceLatencyMs`), seeded with leads; the scoring job reads them, scores each with the shipped
 * model, records every decision and writes the scores back by upsert on `ScoreKey__c`; then an HTTP
 * endpoint serves `GET /leads/:id/score` through a cached connector while a load driver plays a CRM.
 */
export async function runLeadScoring(options: LeadScoringOptions): Promise<LeadScoringReport> {
  const settings = {
    leads: options.leads ?? 300,
    requests: options.requests ?? 10_000,
    concurrency: options.concurrency ?? 16,
    zipfExponent: options.zipfExponent ?? 1.1,
    shortIdShare: options.shortIdShare ?? 0.1,
    salesforceLatencyMs: options.salesforceLatencyMs ?? 300,
    cacheTtlMs: options.cacheTtlMs ?? 10 * 60_000,
    seed: options.seed ?? 42,
    windowSize: options.windowSize ?? 2_000,
  }
  const log = options.log ?? (() => {})
  const runId = randomUUID()
  const rng = xoroshiro128plus(settings.seed)

  const sim = salesforceSimulator({
    records: { Lead: seedLeads(settings.leads, rng) },
    fields: { Lead: LEAD_FIELDS },
  })
  sim.faults.always({ delayMs: settings.salesforceLatencyMs })
  const server = await sim.listen()
  // A prefix of this run's own, so entries a previous run left in Redis can never count as hits.
  const store: CacheStore =
    options.redisUrl === undefined
      ? memoryCache()
      : redisCache({ url: options.redisUrl, keyPrefix: `junction:example:lead-scoring:${runId}:` })
  const cache = { store, ttlMs: settings.cacheTtlMs }
  const audit = jsonlAudit(options.auditFile)
  const trail = auditTrail(audit, { actor: { type: 'service', id: ACTOR }, system: 'salesforce' })
  // Two connections named alike over one cache: the job's (audited, it writes) and the endpoint's
  // (serving reads, not audited call by call). The job's upserts drop the endpoint's cached entries.
  const observed = options.metrics === undefined ? {} : { metrics: options.metrics }
  const job = salesforce({
    name: 'crm',
    loginUrl: server.url,
    auth: sim.auth,
    audit,
    actor: ACTOR,
    cache,
    ...observed,
  })
  const serving: SalesforceConnector = salesforce({
    name: 'crm',
    loginUrl: server.url,
    auth: sim.auth,
    cache,
    ...observed,
  })
  const metrics = createMetrics()
  metrics.observe(serving.events)
  const cacheEvents = { hits: 0, misses: 0 }
  serving.events.on('cache', (event) => {
    if (event.result === 'miss') cacheEvents.misses++
    else cacheEvents.hits++
  })
  const leadIds = sim.org.records('Lead').map((lead) => String(lead.Id))

  try {
    log(`simulated Salesforce on ${server.url}, ${settings.salesforceLatencyMs} ms added to every call`)
    const scoring = await scoreLeads(job, trail, runId)
    log(
      `scoring: ${scoring.read} leads read, ${scoring.scored} scored (${scoring.tiers.hot} hot, ${scoring.tiers.warm} warm, ` +
        `${scoring.tiers.cold} cold), ${scoring.skipped.length} skipped, ${scoring.written.updated} updated by upsert on ScoreKey__c, ` +
        `${scoring.written.failed.length} refused, in ${scoring.durationMs} ms`,
    )

    const endpoint = await startScoreEndpoint(serving, { ttlMs: settings.cacheTtlMs })
    let load: LoadReport
    try {
      log(
        `endpoint on ${endpoint.url}: ${settings.requests} calls, ${settings.concurrency} at a time, Zipf s=${settings.zipfExponent} over ${leadIds.length} leads, cache ${options.redisUrl === undefined ? 'memory' : 'redis'}, cold`,
      )
      const ids = requestMix({
        ids: leadIds,
        requests: settings.requests,
        zipfExponent: settings.zipfExponent,
        shortIdShare: settings.shortIdShare,
        rng,
      })
      load = await driveLoad({
        url: endpoint.url,
        ids,
        concurrency: settings.concurrency,
        windowSize: settings.windowSize,
      })
    } finally {
      await endpoint.close()
    }
    const upstream = metrics.snapshot().series.find((series) => series.operation === 'get')

    await audit.flush()
    const verification = await verifyAuditLog(options.auditFile, { head: (await audit.head()).hash })
    const lines = (await readFile(options.auditFile, 'utf8')).trim().split('\n')
    const events = lines.map((line) => parseAuditEvent(JSON.parse(line)))
    const operations: Record<string, number> = {}
    for (const event of events) {
      if (event.kind === 'operation') operations[event.operation] = (operations[event.operation] ?? 0) + 1
    }
    const seen = cacheEvents.hits + cacheEvents.misses
    return {
      model: { name: MODEL_NAME, version: MODEL_VERSION },
      cache: options.redisUrl === undefined ? 'memory' : 'redis',
      salesforceLatencyMs: settings.salesforceLatencyMs,
      scoring,
      endpoint: {
        ...load,
        cacheEvents: { ...cacheEvents, hitRate: seen === 0 ? 0 : cacheEvents.hits / seen },
        salesforceCalls: {
          count: upstream?.count ?? 0,
          p50Ms: upstream?.latencyMs.p50 ?? 0,
          p95Ms: upstream?.latencyMs.p95 ?? 0,
        },
      },
      orgApiCalls: sim.org.apiUsed,
      storedLeads: sim.org.records('Lead'),
      audit: {
        file: options.auditFile,
        events: events.length,
        decisions: events.filter((event) => event.kind === 'decision').length,
        operations,
        verification,
      },
    }
  } finally {
    // Redis keeps entries past the run: drop this run's (they would expire with their TTL anyway).
    await invalidateRecords(store, cacheNamespace('default', 'crm'), 'Lead', leadIds).catch(
      (error: unknown) => log(`cache cleanup failed (entries expire with their TTL): ${String(error)}`),
    )
    await serving.close()
    await job.close()
    await store.close()
    await audit.close()
    await sim.close()
  }
}
