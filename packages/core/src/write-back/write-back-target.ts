import type { WriteResult } from '../connector/connector.js'

/** What a target is told besides the records. */
export interface WriteBackContext {
  readonly signal: AbortSignal | undefined
  /** Recorded on the systems' audit events (e.g. the approval request's id). */
  readonly correlationId: string | undefined
}

/**
 * One system's write path for canonical results (Salesforce Collections or Bulk upsert, SAP `$batch`,
 * a ServiceNow Import Set...). `write` returns one `WriteResult` per input, in order; a record the
 * system refuses is `ok: false`, never a throw that loses the others.
 */
export interface WriteBackTarget<T> {
  /** The target's name in results and approvals, e.g. `crm`. */
  readonly name: string
  write(records: readonly T[], context: WriteBackContext): Promise<WriteResult[]>
}

/** What happened at one target: a result per record, in the order given. */
export interface TargetOutcome {
  target: string
  succeeded: number
  failed: number
  results: WriteResult[]
}

/** What a write-back did at every target. */
export interface WriteBackResult {
  /** True when every record was written at every target. */
  ok: boolean
  targets: TargetOutcome[]
}
