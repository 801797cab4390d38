/** Runs the cache benchmarks alone: `tsx bench/data/run-cache.ts`; the last stdout line is the JSON result. */
import { measureCache } from './cache.js'

console.log(JSON.stringify(await measureCache()))
