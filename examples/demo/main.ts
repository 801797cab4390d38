import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { runDemo } from './run-demo.js'

const auditFile = join(process.cwd(), '.junction', 'demo-audit.jsonl')
await mkdir(join(process.cwd(), '.junction'), { recursive: true })
await rm(auditFile, { force: true })

const started = performance.now()
const report = await runDemo(auditFile, (line) => console.log(line))
console.log(
  `\ndone in ${Math.round(performance.now() - started)} ms: ${report.created} leads created, ${report.failed.length} refused, ` +
    `${report.openLeads} open leads read, ${report.calls.api} API calls and ${report.calls.token} token requests on the wire, ` +
    `${report.auditEvents.length} audit events in ${report.auditFile}`,
)
