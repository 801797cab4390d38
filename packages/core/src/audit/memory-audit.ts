import type { AuditEvent } from './audit-event.js'
import type { AuditSink } from './audit-sink.js'

/** An in-memory audit sink, for tests: `events` holds what was written, in order. */
export interface MemoryAuditSink extends AuditSink {
  readonly events: readonly AuditEvent[]
}

/** Creates an audit sink that keeps events in memory. */
export function memoryAudit(): MemoryAuditSink {
  const events: AuditEvent[] = []
  return {
    events,
    async write(event) {
      events.push(structuredClone(event))
    },
    async flush() {},
    async close() {},
  }
}
