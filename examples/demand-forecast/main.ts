import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { runDemandForecast } from './run-demand-forecast.js'

const directory = join(process.cwd(), '.junction')
const auditFile = join(directory, 'demand-forecast-audit.jsonl')
await mkdir(directory, { recursive: true })
await rm(auditFile, { force: true })

const report = await runDemandForecast({
  auditFile,
  redisUrl: process.env.REDIS_URL,
  log: (line) => console.log(line),
})

const { firstNight, approvals, secondNight, sap, audit } = report
const dropped = firstNight.dropped.map((rows) => `${rows.orders.length} ${rows.reason}`).join(', ')
console.log(`
demand forecast (${report.model.name} ${report.model.version}, state in ${report.state})
  orders synced      ${firstNight.orders.written} of ${firstNight.orders.read} read; ${firstNight.cleanOrders} clean after cleaning
  rows dropped       ${dropped || 'none'}
  forecasts          ${report.forecasts.length}: ${approvals.approved} approved (${approvals.written} written to SAP), ${approvals.rejected} rejected
  second night       ${secondNight.orders.read} orders and ${secondNight.products.read} products read since the checkpoints
  SAP calls          ${sap.total}: ${sap.reads} reads, ${sap.metadata} $metadata, ${sap.csrf} CSRF, ${sap.batch} $batch
  audit events       ${audit.events} in ${audit.file}, ${audit.verified ? 'verified' : `NOT verified: ${audit.failure}`}`)
if (!audit.verified) process.exitCode = 1
