import { DECISION_TOPIC, type TriageReport } from './run-triage.js'

/** The report as lines for a terminal. */
export function reportLines(report: TriageReport): string[] {
  const { counts, audit } = report
  const outcomes = Object.entries(counts.outcomes)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(', ')
  return [
    '',
    `incident triage (${report.model}, ${report.backend} backends)`,
    ...report.incidents.map(
      (incident) =>
        `  ${incident.number}  ${(incident.group || '(unassigned)').padEnd(24)} ${incident.notes} note${incident.notes === 1 ? '' : 's'}`,
    ),
    `faults injected: ${report.faults.length} (${report.faultsApplied} requests answered with one)`,
    ...report.faults.map((fault) => `  ${fault.target}: ${fault.fault}`),
    `incidents triaged: ${report.triaged} of ${report.incidents.length}; work notes written: ${report.notesWritten}`,
    `decisions published back on ${DECISION_TOPIC}: ${report.decisions.received} messages, ${report.decisions.distinct} distinct decisions`,
    `bus: ${counts.published} changes published over ${report.feedRuns} feed runs, ${counts.deliveries} deliveries, ` +
      `${counts.redeliveries} redeliveries, ${counts.failures} handler failures, ${counts.deadLetters} dead letters`,
    `outcomes: ${outcomes}`,
    `connector retries: ${report.retries}; API calls served: ${report.apiCalls}`,
    `audit: ${audit.events} events (${audit.decisions} decisions, ${audit.operations} operations), ` +
      `chain ${audit.verified ? 'verified' : 'BROKEN'}: ${audit.file}`,
  ]
}
