/**
 * One measured client run in a fresh process, so peak RSS growth is the client's own:
 * `tsx salesforce-bench-client.ts <mode> <url> [tag]`, printing one JSON line.
 * Modes: read-ours, read-jsforce, upsert-bulk, upsert-collections, upsert-jsforce.
 */
import { Connection } from 'jsforce'
import { salesforce } from '../../packages/connector-salesforce/src/index.js'

const [mode = '', url = '', tag = '0'] = process.argv.slice(2)
const app = { clientId: 'junction-sim-client', clientSecret: 'junction-sim-secret' }
const SOQL_FIELDS = ['Id', 'Name', 'Industry', 'NumberOfEmployees', 'AnnualRevenue', 'BillingCity', 'Phone']
const UPSERTS = Number(process.env.UPSERTS ?? 10_000)

// Samples RSS every 5 ms (and at the end), so the peak of a run is seen even between pages.
function rssSampler() {
  const cpu = process.cpuUsage()
  const baseline = process.memoryUsage.rss()
  let peak = baseline
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 5)
  return {
    stop(): number {
      clearInterval(timer)
      peak = Math.max(peak, process.memoryUsage.rss())
      return (peak - baseline) / (1024 * 1024)
    },
    /** CPU time (user + system) this process spent since the sampler started, in ms. */
    cpuMs(): number {
      const used = process.cpuUsage(cpu)
      return (used.user + used.system) / 1000
    },
  }
}

async function jsforceConnection(): Promise<Connection> {
  const conn = new Connection({ oauth2: { ...app, loginUrl: url }, version: '62.0' })
  await conn.authorize({ grant_type: 'client_credentials' })
  return conn
}

async function apiUsed(conn: Connection): Promise<number> {
  const limits = (await conn.request('/limits')) as { DailyApiRequests: { Max: number; Remaining: number } }
  return limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining
}

async function read(): Promise<Record<string, number>> {
  let records = 0
  if (mode === 'read-ours') {
    const crm = salesforce({ loginUrl: url, auth: { type: 'oauth2-client-credentials', ...app } })
    await crm.limits()
    const rss = rssSampler()
    const started = performance.now()
    for await (const record of crm.query('Account', { select: SOQL_FIELDS })) {
      if (record.Id !== undefined) records++
    }
    const ms = performance.now() - started
    const cpuMs = rss.cpuMs()
    const growth = rss.stop()
    await crm.close()
    return { records, ms, cpuMs, rssGrowthMb: growth }
  }
  const conn = await jsforceConnection()
  await apiUsed(conn)
  const rss = rssSampler()
  const started = performance.now()
  // jsforce's streaming form: records as events, autoFetch following nextRecordsUrl.
  await new Promise<void>((resolve, reject) => {
    conn
      .query(`SELECT ${SOQL_FIELDS.join(', ')} FROM Account`)
      .on('record', (record: { Id?: string }) => {
        if (record.Id !== undefined) records++
      })
      .on('end', () => resolve())
      .on('error', reject)
      .run({ autoFetch: true, maxFetch: 1_000_000 })
  })
  const ms = performance.now() - started
  const cpuMs = rss.cpuMs()
  return { records, ms, cpuMs, rssGrowthMb: rss.stop() }
}

async function upsert(): Promise<Record<string, number>> {
  const rows = Array.from({ length: UPSERTS }, (_, index) => ({
    Name: `Item ${index}`,
    ExtId__c: `${mode}-${tag}-${index}`,
    Amount__c: index * 1.5,
  }))
  const conn = await jsforceConnection()
  const before = await apiUsed(conn)
  const started = performance.now()
  let ok = 0
  if (mode === 'upsert-jsforce') {
    const results = await conn.sobject('Upsert__c').upsert(rows, 'ExtId__c', { allowRecursive: true })
    ok = results.filter((result) => result.success).length
  } else {
    const crm = salesforce({
      loginUrl: url,
      auth: { type: 'oauth2-client-credentials', ...app },
      bulkThreshold: mode === 'upsert-bulk' ? 2000 : false,
      bulk: { pollIntervalMs: 200 },
    })
    const results = await crm.upsert('Upsert__c', rows, { externalId: 'ExtId__c' })
    ok = results.filter((result) => result.ok).length
    await crm.close()
  }
  const ms = performance.now() - started
  // The /limits call that reads the count is itself one call.
  const calls = (await apiUsed(conn)) - before - 1
  return { ok, ms, calls }
}

const result = mode.startsWith('read') ? await read() : await upsert()
process.stdout.write(`${JSON.stringify({ mode, ...result })}\n`)
