/**
 * `pnpm bench:salesforce`: the Salesforce connector against jsforce (3.9.5) in the same run, both
 * talking to the simulator served on loopback from its own process. Each measured run is a fresh
 * client process, so peak RSS growth is that client's alone; reads alternate which client goes first.
 * - a SOQL read of RECORDS (default 100,000) accounts: records/s and peak RSS growth, against the bare
 *   simulator and against one holding each query page back PAGE_LATENCY_MS (default 100);
 * - UPSERTS (default 10,000) upserts by external id: API calls (counted by the org) and time, ours
 *   through Bulk API 2.0 (the default above 2,000 records) and through Collections, jsforce through
 *   Collections (`allowRecursive`).
 * Progress goes to stderr; the last stdout line is one JSON object.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'

const ROUNDS = Number(process.env.ROUNDS ?? 3)
const here = new URL('.', import.meta.url).pathname
const tsx = ['--import', 'tsx']

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const [line] = (await once(lines, 'line')) as [string]
  lines.close()
  return line
}

async function client(mode: string, url: string, tag: number): Promise<Record<string, number>> {
  const child = spawn(
    process.execPath,
    [...tsx, `${here}support/salesforce-bench-client.ts`, mode, url, String(tag)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const line = await firstLine(child)
  await once(child, 'exit')
  return JSON.parse(line) as Record<string, number>
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

// A wait a real org's query page is sure to exceed (nobody here can time one: UNVERIFIED as a figure).
const PAGE_LATENCY_MS = Number(process.env.PAGE_LATENCY_MS ?? 100)

async function startServer(latencyMs: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...tsx, `${here}support/salesforce-sim-server.ts`], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, LATENCY_MS: String(latencyMs) },
  })
  const { url } = JSON.parse(await firstLine(child)) as { url: string }
  return {
    url,
    stop: async () => {
      child.stdin?.end()
      await once(child, 'exit')
    },
  }
}

type Runs = Record<'ours' | 'jsforce', Array<Record<string, number>>>

async function readRounds(url: string, label: string): Promise<Runs> {
  const reads: Runs = { ours: [], jsforce: [] }
  for (let round = 0; round < ROUNDS; round++) {
    const order: Array<'ours' | 'jsforce'> = round % 2 === 0 ? ['jsforce', 'ours'] : ['ours', 'jsforce']
    for (const name of order) {
      const run = await client(`read-${name}`, url, round)
      reads[name].push(run)
      process.stderr.write(
        `${label} read round ${round + 1} ${name}: ${run.records} records in ${(run.ms ?? 0).toFixed(0)} ms, ` +
          `${(((run.records ?? 0) / (run.ms ?? 1)) * 1000).toFixed(0)} records/s, client CPU ${(run.cpuMs ?? 0).toFixed(0)} ms, ` +
          `peak RSS +${(run.rssGrowthMb ?? 0).toFixed(1)} MB\n`,
      )
    }
  }
  return reads
}

const started = performance.now()
const server = await startServer(0)
const url = server.url
const reads = await readRounds(url, 'loopback')
const slowServer = await startServer(PAGE_LATENCY_MS)
const slowReads = await readRounds(slowServer.url, `${PAGE_LATENCY_MS} ms a page`)
await slowServer.stop()

const rate = (runs: Array<Record<string, number>>) =>
  median(runs.map((run) => ((run.records ?? 0) / (run.ms ?? 1)) * 1000))
const oursRate = rate(reads.ours)
const jsforceRate = rate(reads.jsforce)
const slowOursRate = rate(slowReads.ours)
const slowJsforceRate = rate(slowReads.jsforce)
// Client CPU per record: what each client costs, whatever the server and the machine's load add to wall time.
const cpuPerRecord = (runs: Array<Record<string, number>>) =>
  median(runs.map((run) => ((run.cpuMs ?? 0) * 1000) / (run.records ?? 1)))
const oursCpu = cpuPerRecord(reads.ours)
const jsforceCpu = cpuPerRecord(reads.jsforce)
const peakRss = (runs: Array<Record<string, number>>) => Math.max(...runs.map((run) => run.rssGrowthMb ?? 0))
const oursRss = Math.max(peakRss(reads.ours), peakRss(slowReads.ours))
const jsforceRss = Math.max(peakRss(reads.jsforce), peakRss(slowReads.jsforce))

const upserts: Record<string, Record<string, number>> = {}
for (const mode of ['upsert-bulk', 'upsert-collections', 'upsert-jsforce']) {
  const run = await client(mode, url, 0)
  upserts[mode] = run
  process.stderr.write(`${mode}: ${run.ok} ok, ${run.calls} API calls, ${(run.ms ?? 0).toFixed(0)} ms\n`)
}
await server.stop()

const read_ratio = oursRate / jsforceRate
const slow_read_ratio = slowOursRate / slowJsforceRate
process.stderr.write(
  `read with ${PAGE_LATENCY_MS} ms a page: ours ${slowOursRate.toFixed(0)} records/s vs jsforce ${slowJsforceRate.toFixed(0)} records/s = ${slow_read_ratio.toFixed(2)}x\n`,
)
process.stderr.write(
  `read on loopback: ours ${oursRate.toFixed(0)} records/s vs jsforce ${jsforceRate.toFixed(0)} records/s = ${read_ratio.toFixed(2)}x; ` +
    `client CPU per record ours ${oursCpu.toFixed(2)} µs, jsforce ${jsforceCpu.toFixed(2)} µs; peak RSS growth ours ${oursRss.toFixed(1)} MB, jsforce ${jsforceRss.toFixed(1)} MB\n`,
)
const bulk = upserts['upsert-bulk'] ?? {}
const collections = upserts['upsert-collections'] ?? {}
const jsforceUpsert = upserts['upsert-jsforce'] ?? {}
console.log(
  JSON.stringify({
    bench: 'salesforce',
    seconds: Math.round((performance.now() - started) / 1000),
    node: process.version,
    records: reads.ours[0]?.records,
    read_records_per_s: { ours: Math.round(oursRate), jsforce: Math.round(jsforceRate) },
    read_ratio: Number(read_ratio.toFixed(2)),
    page_latency_ms: PAGE_LATENCY_MS,
    read_with_latency_records_per_s: { ours: Math.round(slowOursRate), jsforce: Math.round(slowJsforceRate) },
    read_with_latency_ratio: Number(slow_read_ratio.toFixed(2)),
    read_client_cpu_us_per_record: {
      ours: Number(oursCpu.toFixed(2)),
      jsforce: Number(jsforceCpu.toFixed(2)),
    },
    read_cpu_ratio: Number((jsforceCpu / oursCpu).toFixed(2)),
    read_peak_rss_growth_mb: { ours: Number(oursRss.toFixed(1)), jsforce: Number(jsforceRss.toFixed(1)) },
    upserts: Number(process.env.UPSERTS ?? 10_000),
    upsert_calls: {
      ours_bulk: bulk.calls,
      ours_collections: collections.calls,
      jsforce: jsforceUpsert.calls,
    },
    upsert_ms: {
      ours_bulk: Math.round(bulk.ms ?? 0),
      ours_collections: Math.round(collections.ms ?? 0),
      jsforce: Math.round(jsforceUpsert.ms ?? 0),
    },
    upsert_ok: { ours_bulk: bulk.ok, ours_collections: collections.ok, jsforce: jsforceUpsert.ok },
    goals: {
      read_at_least_2x_jsforce_on_loopback: read_ratio >= 2,
      read_at_least_2x_jsforce_with_latency: slow_read_ratio >= 2,
      rss_growth_under_50mb: oursRss < 50,
      upserts_in_50_calls_or_fewer: (bulk.calls ?? Number.POSITIVE_INFINITY) <= 50,
    },
  }),
)
