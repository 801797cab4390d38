// Run by buffered-audit.test.ts in a child process that the test then kills with SIGKILL.
import { createAuditEvent } from './audit-event.js'
import { bufferedAudit } from './buffered-audit.js'

const spillDir = process.argv[2] ?? ''
// A sink that never completes a write: everything past the first event must spill.
const stalled = {
  write: () => new Promise<void>(() => undefined),
  flush: async () => {},
  close: async () => {},
}
const buffer = bufferedAudit(stalled, { maxEvents: 1, overflow: 'spill', spillDir, flushOnExit: false })
const writes = Array.from({ length: 10 }, (_, index) =>
  buffer.write(
    createAuditEvent({
      kind: 'operation',
      actor: { type: 'service', id: 'svc' },
      operation: `op-${index}`,
      outcome: 'success',
    }),
  ),
)
await Promise.all(writes)
process.stdout.write('spilled\n')
// Stay alive until killed.
setInterval(() => undefined, 1_000)
