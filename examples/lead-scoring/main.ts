import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runLeadScoring } from './run-lead-scoring.js'

const directory = join(process.cwd(), '.junction')
const auditFile = join(directory, 'lead-scoring-audit.jsonl')
await mkdir(directory, { recursive: true })
await rm(auditFile, { force: true })

// Sizes can be changed from the command line, e.g. `pnpm start --requests 2000` for a cold run only.
const { values } = parseArgs({
  options: {
    leads: { type: 'string' },
    requests: { type: 'string' },
    concurrency: { type: 'string' },
    'latency-ms': { type: 'string' },
  },
})
const count = (name: keyof typeof values): number | undefined => {
  const text = values[name]
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value < (name === 'latency-ms' ? 0 : 1)) {
    console.error(`--${name} must be a whole number${name === 'latency-ms' ? '' : ' above 0'}, not ${text}`)
    process.exit(2)
  }
  return value
}

const report = await runLeadScoring({
  auditFile,
  leads: count('leads'),
  requests: count('requests'),
  concurrency: count('concurrency'),
  salesforceLatencyMs: count('latency-ms'),
  redisUrl: process.env.REDIS_URL || undefined,
  log: (line) => console.log(line),
})

const { endpoint, scoring, audit } = report
const percent = (share: number) => `${(share * 100).toFixed(1)}%`
const latency = (l: { p50: number; p95: number; p99: number; max: number }) =>
  `p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms, max ${l.max} ms`
console.log(
  `\nendpoint: ${endpoint.requests} calls over ${endpoint.distinctLeads} leads in ${endpoint.durationMs} ms, ` +
    `statuses ${JSON.stringify(endpoint.statuses)}`,
)
console.log(`  latency   ${latency(endpoint.latencyMs)}`)
console.log(
  `  cache     ${percent(endpoint.cacheEvents.hitRate)} hits (${endpoint.cacheEvents.hits} hits, ${endpoint.cacheEvents.misses} misses, ${report.cache} cache)`,
)
console.log(`  hits      ${latency(endpoint.byCache.hit)}`)
console.log(`  misses    ${latency(endpoint.byCache.miss)}`)
console.log(
  `  salesforce ${endpoint.salesforceCalls.count} calls from the endpoint, p50 ${endpoint.salesforceCalls.p50Ms} ms each`,
)
for (const window of endpoint.windows) {
  console.log(
    `  calls ${window.from}-${window.to - 1}: ${percent(window.hitRate)} hits, p95 ${window.latencyMs.p95} ms`,
  )
}
console.log(
  `scoring: ${scoring.scored} decisions, ${scoring.written.updated} scores upserted; ${report.orgApiCalls} REST calls in all`,
)
console.log(
  `audit: ${audit.events} events (${audit.decisions} decisions, operations ${JSON.stringify(audit.operations)}) in ${audit.file}, ` +
    `chain ${audit.verification.ok ? 'verified' : `BROKEN at line ${audit.verification.failure.line}`}`,
)
const met = endpoint.latencyMs.p95 < 200 && endpoint.cacheEvents.hitRate >= 0.95
console.log(`seed target (p95 < 200 ms, >= 95% from cache): ${met ? 'met' : 'NOT met'}`)
console.log(
  JSON.stringify({
    bench: 'lead-scoring',
    cache: report.cache,
    salesforceLatencyMs: report.salesforceLatencyMs,
    requests: endpoint.requests,
    p50Ms: endpoint.latencyMs.p50,
    p95Ms: endpoint.latencyMs.p95,
    p99Ms: endpoint.latencyMs.p99,
    hitRate: endpoint.cacheEvents.hitRate,
  }),
)
