import type { DemoReport } from './run-demo.js'

const ms = (value: number) => `${value.toFixed(1)} ms`

/** The demo's closing report, as lines for a terminal. */
export function reportLines(report: DemoReport): string[] {
  const lines = [
    '',
    `== Report (${report.backend} stores, ${(report.elapsedMs / 1000).toFixed(1)} s)`,
    ...report.scenarios.map(
      (scenario) =>
        `  ${scenario.name.padEnd(18)} ${scenario.summary} (${(scenario.ms / 1000).toFixed(1)} s)`,
    ),
    `  records moved: ${report.recordsMoved}`,
    '  per system:       requests  errors  retries   p50        p95',
    ...report.systems.map(
      (system) =>
        `    ${system.system.padEnd(14)} ${String(system.calls).padStart(9)} ${String(system.errors).padStart(7)} ${String(system.retries).padStart(8)}   ${ms(system.p50Ms).padEnd(10)} ${ms(system.p95Ms)}`,
    ),
    `  cache hit rate: ${report.cacheHitRate === undefined ? 'no cached reads' : `${(report.cacheHitRate * 100).toFixed(1)}%`}`,
    `  audit: ${report.audit.events} events in ${report.audit.files} hash-chained trails, ${report.audit.verified ? 'all verified' : 'VERIFICATION FAILED'}`,
  ]
  return lines
}
