/**
 * The Salesforce simulator as a benchmark server in its own process (so its memory and CPU are not
 * counted against the clients): `RECORDS` accounts, plus an `Upsert__c` object keyed by `ExtId__c`.
 * Prints `{"url": …}` on its first stdout line and serves until its stdin closes. `LATENCY_MS` delays
 * every query page by that long.
 */
import { salesforceSimulator } from '../../packages/connector-salesforce/src/testing/index.js'

const count = Number(process.env.RECORDS ?? 100_000)
const industries = ['Banking', 'Energy', 'Retail', 'Manufacturing', 'Healthcare']
const sim = salesforceSimulator({
  dailyApiLimit: 10_000_000,
  records: {
    Account: Array.from({ length: count }, (_, index) => ({
      Name: `Account ${index}`,
      Industry: industries[index % industries.length],
      NumberOfEmployees: index % 5000,
      AnnualRevenue: 1_000_000 + index,
      BillingCity: 'Springfield',
      Phone: `+1 555 ${String(index).padStart(7, '0')}`,
    })),
  },
  fields: { Upsert__c: { Name: {}, ExtId__c: { externalId: true }, Amount__c: { type: 'double' } } },
  bulk: { pollsUntilComplete: 0 },
})
// A real org takes far longer than this simulator to answer a query page; LATENCY_MS adds a wait before
// each query page so that a client's page scheduling, not the simulator's CPU, decides the read rate.
const latencyMs = Number(process.env.LATENCY_MS ?? 0)
if (latencyMs > 0) sim.faults.always({ delayMs: latencyMs, match: { path: '*/query*' } })
const server = await sim.listen()
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  void sim.close().then(() => process.exit(0))
})
