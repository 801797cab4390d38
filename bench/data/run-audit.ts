/** Runs the audit benchmarks alone: `tsx bench/data/run-audit.ts`; the last stdout line is the JSON result. */
import { measureAudit } from './audit.js'

console.log(JSON.stringify({ bench: 'audit', ...(await measureAudit()), node: process.version }))
