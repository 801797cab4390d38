import { ConflictError, ValidationError } from '../errors/error-kinds.js'

/** One record in one system: `{ system: 'crm', id: '001…' }`. */
export interface SystemRef {
  readonly system: string
  readonly id: string
}

/** A canonical entity and every system record linked to it. */
export interface IdentityEntity {
  readonly canonicalId: string
  /** Every linked record, in the order linked; a system may hold more than one (its own duplicates). */
  readonly links: readonly SystemRef[]
  /** The first id linked per system: `ids.crm`, `ids.erp`. */
  readonly ids: Readonly<Record<string, string>>
}

/**
 * One compare-and-set step on a link: `ref` must currently belong to `from` (`undefined` = unlinked)
 * and then belongs to `to` (`undefined` = unlink). A ref that already belongs to `to` is a no-op.
 */
export interface LinkChange {
  readonly ref: SystemRef
  readonly from: string | undefined
  readonly to: string | undefined
}

/** A system id that another canonical entity already holds: both claimants are named. */
export interface IdentityConflict {
  readonly ref: SystemRef
  /** The canonical entity holding the ref now (`undefined` when the change expected a link that is gone). */
  readonly heldBy: string | undefined
  /** The canonical entity the change wanted to give it to (`undefined` for an unlink). */
  readonly claimedBy: string | undefined
}

/** The outcome of an atomic set of link changes: all applied, or none and the conflicts named. */
export type LinkResult =
  | { readonly ok: true; readonly applied: readonly LinkChange[] }
  | { readonly ok: false; readonly conflicts: readonly IdentityConflict[] }

const SYSTEM_NAME = /^[A-Za-z0-9_.-]+$/

/** Throws a `ValidationError` unless `ref` has a system name (letters, digits, `_.-`) and a non-empty id. */
export function checkRef(ref: SystemRef, operation: string): SystemRef {
  if (typeof ref?.system !== 'string' || !SYSTEM_NAME.test(ref.system)) {
    throw new ValidationError({
      message: `identity ${operation}: system must be a non-empty name of letters, digits, "_", "." or "-"`,
      operation,
    })
  }
  if (typeof ref.id !== 'string' || ref.id.trim() === '') {
    throw new ValidationError({
      message: `identity ${operation}: the ${ref.system} id must be a non-empty string`,
      operation,
    })
  }
  return ref
}

/** Throws a `ValidationError` unless `canonicalId` is a non-empty string without control characters. */
export function checkCanonicalId(canonicalId: unknown, operation: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (typeof canonicalId !== 'string' || canonicalId === '' || /[\u0000-\u001f]/.test(canonicalId)) {
    throw new ValidationError({
      message: `identity ${operation}: canonical id must be a non-empty string without control characters`,
      operation,
    })
  }
  return canonicalId
}

/** Builds the entity view from its links (first id per system goes to `ids`). */
export function toEntity(canonicalId: string, links: readonly SystemRef[]): IdentityEntity {
  const ids: Record<string, string> = {}
  for (const link of links) if (!(link.system in ids)) ids[link.system] = link.id
  return { canonicalId, links, ids }
}

/**
 * The changes that undo `changes`: each `from` and `to` swapped. A change set names each ref once, so
 * order does not matter for the result; keeping it restores the entities' links in their old order.
 */
export function invertChanges(changes: readonly LinkChange[]): LinkChange[] {
  return changes.map((change) => ({ ref: change.ref, from: change.to, to: change.from }))
}

/** A result that may carry conflicts: a store's `LinkResult` or a resolver's change result. */
export type ConflictingResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly conflicts: readonly IdentityConflict[] }

/**
 * For callers who would rather throw: returns when `result` applied, else throws a `ConflictError`
 * whose message and `details` name each contested id with both claimants.
 */
export function assertApplied<R extends ConflictingResult>(
  result: R,
): asserts result is Extract<R, { ok: true }> {
  if (result.ok) return
  const conflicts = (result as Extract<ConflictingResult, { ok: false }>).conflicts
  throw new ConflictError({
    message: `identity conflict: ${conflicts
      .map(
        (conflict) =>
          `${conflict.ref.system} id ${conflict.ref.id} is held by ${conflict.heldBy ?? 'no entity'}, claimed for ${conflict.claimedBy ?? 'no entity'}`,
      )
      .join('; ')}`,
    details: conflicts,
  })
}
