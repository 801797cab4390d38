// Runs a benchmark on the code as it ships. tsx compiles with esbuild's `keepNames`, which adds a
// `__name()` call for every closure created on the hot path; the published build (tsup) has none,
// and on the pipeline benchmark the difference is several percent. So the benchmark is bundled the
// way tsup builds the packages (esbuild, no keepNames, target node20) and run with plain node.
// undici stays external so that the raw client and the transport share the workspace's one copy.
import { rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const entry = process.argv[2]
if (entry === undefined) {
  process.stderr.write('usage: node bench/support/run-bundled.mjs <bench file>\n')
  process.exit(2)
}
const benchDir = resolve(import.meta.dirname, '..')
// Written beside the benchmarks so that `undici` resolves from the workspace's node_modules.
const outfile = join(benchDir, `.bundled-${process.pid}.mjs`)
try {
  await build({
    entryPoints: [resolve(entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['undici'],
    outfile,
    logLevel: 'error',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  })
  await import(pathToFileURL(outfile).href)
} finally {
  rmSync(outfile, { force: true })
}
