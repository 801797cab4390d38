import type { AuditEvent } from './audit-event.js'

/** Where audit events go. Implementations must not lose an accepted event. */
export interface AuditSink {
  /** Accepts one event; resolves once the sink has taken responsibility for it. */
  write(event: AuditEvent): Promise<void>
  /** Resolves when every accepted event is durable. */
  flush(): Promise<void>
  /** Flushes and releases files or connections. */
  close(): Promise<void>
}
