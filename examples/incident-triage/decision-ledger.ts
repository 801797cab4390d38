import type { KeyValueStore } from '@junction/core'
import type { TriageDecision } from './classifier.js'

/** Where a decision stands: recorded in the audit trail (`decided`), or its note confirmed written (`noted`). */
export interface LedgerEntry {
  state: 'decided' | 'noted'
  decision: TriageDecision
  /** The audit event that recorded the decision. */
  auditEventId: string | undefined
}

/**
 * The triage's own memory of its decisions, in a key-value store (memory, or Redis shared by every
 * consumer): a fast path that spares a `noted` decision any API call, the decision as audited (so a
 * retry writes exactly that), and a lease that keeps two consumers off the same incident at once.
 * It is not the source of truth for "was the note written": after a lost response or a crash the
 * instance's journal is (see `triage-handler.ts`).
 */
export interface DecisionLedger {
  get(decisionId: string): Promise<LedgerEntry | undefined>
  /** Records the decision as audited, before its write-back. */
  decided(decisionId: string, decision: TriageDecision, auditEventId: string | undefined): Promise<void>
  /** Records the write-back as confirmed; later deliveries stop here. */
  noted(decisionId: string, decision: TriageDecision, auditEventId: string | undefined): Promise<void>
  /** Takes the decision's lease for `leaseMs`; false when another attempt holds it. */
  lease(decisionId: string, owner: string): Promise<boolean>
}

/** A ledger in `store` (namespaced `triage`); a lease lasts `leaseMs`. */
export function decisionLedger(store: KeyValueStore, leaseMs: number): DecisionLedger {
  const view = store.namespace('triage')
  return {
    get: (decisionId) => view.get<LedgerEntry>(`decision:${decisionId}`),
    decided: (decisionId, decision, auditEventId) =>
      view.set(`decision:${decisionId}`, { state: 'decided', decision, auditEventId } satisfies LedgerEntry),
    noted: (decisionId, decision, auditEventId) =>
      view.set(`decision:${decisionId}`, { state: 'noted', decision, auditEventId } satisfies LedgerEntry),
    // Never released early: a failed attempt may have written, and only its lease running out (shorter
    // than the bus's redelivery delay) lets the next attempt in, which then asks the journal.
    lease: (decisionId, owner) => view.setIfAbsent(`lease:${decisionId}`, owner, { ttlMs: leaseMs }),
  }
}
