import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { reportLines } from './print-report.js'
import { runTriage } from './run-triage.js'

const auditFile = join(process.cwd(), '.junction', 'incident-triage-audit.jsonl')
await mkdir(join(process.cwd(), '.junction'), { recursive: true })
await rm(auditFile, { force: true })

const report = await runTriage({
  auditFile,
  redisUrl: process.env.REDIS_URL || undefined,
  log: (line) => console.log(line),
})
for (const line of reportLines(report)) console.log(line)
