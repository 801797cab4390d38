/** Runs the identity benchmarks alone: `tsx bench/data/run-identity.ts`; the last stdout line is the JSON result. */
import { measureIdentity } from './identity.js'

console.log(JSON.stringify({ bench: 'identity', ...(await measureIdentity()), node: process.version }))
