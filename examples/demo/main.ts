import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { reportLines } from './print-report.js'
import { runDemo } from './run-demo.js'

const workDir = join(process.cwd(), '.junction', 'demo')
await rm(workDir, { recursive: true, force: true })
await mkdir(workDir, { recursive: true })

const report = await runDemo({
  workDir,
  redisUrl: process.env.REDIS_URL || undefined,
  log: (line) => console.log(line),
})
for (const line of reportLines(report)) console.log(line)
console.log(`\naudit trails in ${workDir}`)
if (!report.audit.verified) process.exitCode = 1
