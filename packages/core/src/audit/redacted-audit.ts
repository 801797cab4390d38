import { parseAuditEvent } from './audit-event.js'
import type { AuditSink } from './audit-sink.js'
import type { RedactionPolicy } from './redaction-policy.js'

/**
 * Wraps `sink` so every event's `input` and `output` pass through `policy` before the sink sees them,
 * e.g. the sink handed to connectors, whose operation events then follow the same policy.
 */
export function redactedAudit(sink: AuditSink, policy: RedactionPolicy): AuditSink {
  return {
    write: async (event) => sink.write(policy.event(parseAuditEvent(event))),
    flush: () => sink.flush(),
    close: () => sink.close(),
  }
}
