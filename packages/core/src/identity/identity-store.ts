import type { IdentityEntity, LinkChange, LinkResult, SystemRef } from './identity-link.js'

/** A set of link changes recorded under an id (the audit event's), so it can be undone later. */
export interface JournalEntry {
  readonly id: string
  readonly changes: readonly LinkChange[]
}

/**
 * The links canonical id ⇄ { system: id }, behind one interface with a memory and a Redis driver.
 * A system id belongs to at most one canonical entity: a change that would take it from another is
 * reported as an `IdentityConflict` naming both claimants, and nothing of that change is applied.
 */
export interface IdentityStore {
  /** The entity a system record is linked to, or `undefined`. */
  resolve(ref: SystemRef): Promise<IdentityEntity | undefined>
  /** The entities of many records, in order (`undefined` for unlinked ones); one round trip in Redis. */
  resolveMany(refs: readonly SystemRef[]): Promise<Array<IdentityEntity | undefined>>
  /** Every record linked to `canonicalId` (empty when none). */
  idsOf(canonicalId: string): Promise<readonly SystemRef[]>
  /** Links `refs` to `canonicalId`; a ref already held by another entity is a conflict, never moved. */
  link(canonicalId: string, refs: SystemRef | readonly SystemRef[]): Promise<LinkResult>
  /** Removes the link of `ref`; returns the canonical id it belonged to, if any. */
  unlink(ref: SystemRef): Promise<string | undefined>
  /**
   * Applies compare-and-set changes atomically (all or none) and, with `journalId`, records them
   * so that `journal(journalId)` can return them for an undo.
   */
  apply(changes: readonly LinkChange[], journalId?: string): Promise<LinkResult>
  /** The changes recorded under `journalId`, or `undefined`. */
  journal(journalId: string): Promise<JournalEntry | undefined>
  /** Releases connections the driver opened itself. Idempotent. */
  close(): Promise<void>
}
