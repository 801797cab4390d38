/**
 * `pnpm bench:sap`: the SAP connector against its simulator on a loopback server (in a worker thread).
 *
 * 1. Read 50,000 business partners in pages of 5,000 through `query()` (typed values, `$metadata`,
 *    the whole pipeline), against a baseline in the same run: raw undici GETs of the same pages, JSON
 *    parsed, nothing else. Records/s for both, the ratio, and the RSS growth of the connector's read.
 * 2. 1,000 creates: through `$batch` (changesets, 100 operations per call) against one POST each.
 *    HTTP calls (counted at the dispatcher, CSRF fetches and `$metadata` included) and time.
 *
 * Progress goes to stderr; the last stdout line is one JSON result.
 */
import { Worker } from 'node:worker_threads'
import { Agent, type Dispatcher, request } from 'undici'
import { sap } from '../packages/connector-sap/src/sap-connector.js'

const PARTNERS = 50_000
const PAGE = 5_000
const CREATES = 1_000
const ROUNDS = 3

// tsx's API loads the TypeScript worker module (a worker does not inherit the parent's loader).
const workerModule = new URL('./support/sap-simulator-worker.ts', import.meta.url).href
const worker = new Worker(
  `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(workerModule)}, ${JSON.stringify(import.meta.url)}))`,
  {
    eval: true,
    workerData: { partners: PARTNERS, maxPageSize: PAGE },
  },
)
const started = await new Promise<{
  url: string
  servicePaths: Record<string, string>
  auth: { type: 'basic'; username: string; password: string }
}>((resolve) => worker.once('message', resolve))
const root = (service: string) => `${started.url}${started.servicePaths[service]}`
const authorization = `Basic ${Buffer.from(`${started.auth.username}:${started.auth.password}`).toString('base64')}`

let calls = 0
const agent = new Agent({ keepAliveTimeout: 60_000 })
const counted: Dispatcher = agent.compose((dispatch) => (options, handler) => {
  calls++
  return dispatch(options, handler)
})

const connector = () =>
  sap({
    serviceRoot: root('API_BUSINESS_PARTNER'),
    client: '100',
    auth: started.auth,
    dispatcher: counted,
    pageSize: PAGE,
    breaker: false,
  })

async function readWithConnector(): Promise<{
  ms: number
  records: number
  rssGrowthMb: number
  retainedMb: number
}> {
  const erp = connector()
  global.gc?.()
  const rssBefore = process.memoryUsage().rss
  const heapBefore = process.memoryUsage().heapUsed
  let peak = rssBefore
  const begin = performance.now()
  let records = 0
  for await (const _record of erp.query('A_BusinessPartner', { orderBy: [{ field: 'BusinessPartner' }] })) {
    records++
    if (records % PAGE === 0) peak = Math.max(peak, process.memoryUsage().rss)
  }
  const ms = performance.now() - begin
  await erp.close()
  // What the read left behind once garbage is collected: records are streamed, so about nothing.
  global.gc?.()
  const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20
  return { ms, records, rssGrowthMb: (peak - rssBefore) / 2 ** 20, retainedMb }
}

async function readRaw(): Promise<{ ms: number; records: number }> {
  const begin = performance.now()
  let records = 0
  for (let skip = 0; ; skip += PAGE) {
    const url = `${root('API_BUSINESS_PARTNER')}/A_BusinessPartner?$orderby=BusinessPartner%20asc&$top=${PAGE}${skip ? `&$skip=${skip}` : ''}&sap-client=100`
    const response = await request(url, {
      dispatcher: agent,
      headers: { authorization, accept: 'application/json' },
    })
    const body = (await response.body.json()) as { d: { results: unknown[] } }
    records += body.d.results.length
    if (body.d.results.length < PAGE) break
  }
  return { ms: performance.now() - begin, records }
}

const reads: Array<{ ours: number; raw: number; rss: number; retained: number }> = []
for (let round = 0; round < ROUNDS; round++) {
  const first = round % 2 === 0
  const raw1 = first ? await readRaw() : undefined
  const ours = await readWithConnector()
  const raw = raw1 ?? (await readRaw())
  if (ours.records !== PARTNERS || raw.records !== PARTNERS)
    throw new Error(`read ${ours.records} / ${raw.records} of ${PARTNERS}`)
  reads.push({
    ours: (PARTNERS / ours.ms) * 1000,
    raw: (PARTNERS / raw.ms) * 1000,
    rss: ours.rssGrowthMb,
    retained: ours.retainedMb,
  })
  console.error(
    `read round ${round + 1}: connector ${Math.round(reads.at(-1)?.ours ?? 0)} rec/s, raw ${Math.round(reads.at(-1)?.raw ?? 0)} rec/s, peak RSS +${ours.rssGrowthMb.toFixed(1)} MB, heap retained ${ours.retainedMb.toFixed(1)} MB`,
  )
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

const newPartner = (index: number) => ({
  BusinessPartnerCategory: '1',
  FirstName: `New ${index}`,
  LastName: 'Bench',
  BusinessPartnerFullName: `New ${index} Bench`,
})

async function createOneByOne(): Promise<{ ms: number; calls: number; ok: number }> {
  const erp = connector()
  await erp.metadata()
  const before = calls
  const begin = performance.now()
  const results = await erp.create(
    'A_BusinessPartner',
    Array.from({ length: CREATES }, (_, index) => newPartner(index)),
  )
  const ms = performance.now() - begin
  await erp.close()
  return { ms, calls: calls - before, ok: results.filter((result) => result.ok).length }
}

async function createBatched(): Promise<{ ms: number; calls: number; ok: number }> {
  const erp = connector()
  await erp.metadata()
  const before = calls
  const begin = performance.now()
  const results = await erp.batch(
    Array.from({ length: CREATES }, (_, index) => ({
      op: 'create' as const,
      entity: 'A_BusinessPartner',
      record: newPartner(index),
    })),
  )
  const ms = performance.now() - begin
  await erp.close()
  return { ms, calls: calls - before, ok: results.filter((result) => result.ok).length }
}

const single = await createOneByOne()
console.error(`1,000 creates one by one: ${single.calls} calls, ${Math.round(single.ms)} ms`)
const batched = await createBatched()
console.error(`1,000 creates through $batch: ${batched.calls} calls, ${Math.round(batched.ms)} ms`)
if (single.ok !== CREATES || batched.ok !== CREATES)
  throw new Error(`created ${single.ok} / ${batched.ok} of ${CREATES}`)

worker.postMessage('stop')
await agent.close()

const connectorRead = median(reads.map((read) => read.ours))
const rawRead = median(reads.map((read) => read.raw))
console.error(
  `read ratio connector/raw: ${(connectorRead / rawRead).toFixed(2)}; batch speed-up: ${(single.ms / batched.ms).toFixed(1)}x, ${single.calls / batched.calls}x fewer calls`,
)
console.log(
  JSON.stringify({
    bench: 'sap',
    node: process.version,
    read_partners: PARTNERS,
    read_page: PAGE,
    read_connector_records_per_s: Math.round(connectorRead),
    read_raw_records_per_s: Math.round(rawRead),
    read_ratio: Number((connectorRead / rawRead).toFixed(2)),
    read_rss_growth_mb: Number(median(reads.map((read) => read.rss)).toFixed(1)),
    read_heap_retained_mb: Number(median(reads.map((read) => read.retained)).toFixed(1)),
    create_single_calls: single.calls,
    create_single_ms: Math.round(single.ms),
    create_batch_calls: batched.calls,
    create_batch_ms: Math.round(batched.ms),
    create_batch_speedup: Number((single.ms / batched.ms).toFixed(1)),
  }),
)
