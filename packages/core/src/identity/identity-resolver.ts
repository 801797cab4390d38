import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { type AuditEvent, auditActorSchema, createAuditEvent } from '../audit/audit-event.js'
import type { AuditSink } from '../audit/audit-sink.js'
import { hasMethods } from '../config/has-methods.js'
import { parseOptions } from '../config/parse-options.js'
import { NotFoundError, ValidationError } from '../errors/error-kinds.js'
import {
  checkCanonicalId,
  type IdentityConflict,
  type IdentityEntity,
  invertChanges,
  type LinkChange,
  type SystemRef,
} from './identity-link.js'
import type { IdentityStore } from './identity-store.js'
import { refList } from './identity-store-options.js'
import type { MatchRecord, RecordMatch } from './match-record.js'
import { type MatchOptions, type MatchOutcome, matchRecords } from './match-records.js'
import type { MatchRule } from './match-rule.js'
import { defaultMatchRules } from './match-rules.js'

/** Who changes the links, recorded on the audit event. */
export type IdentityActor = AuditEvent['actor']

/** Per-call context for a change: who, why, and the correlation id to put on the audit event. */
export interface IdentityChangeContext {
  actor?: IdentityActor
  reason?: string
  correlationId?: string
}

/** Options for `identityResolver`. */
export interface IdentityResolverOptions {
  store: IdentityStore
  /** Every link change is written here as an audit event of kind `identity`. */
  audit: AuditSink
  /** Match rules (default `defaultMatchRules()`: deterministic only, the fuzzy rule off). */
  rules?: readonly MatchRule[]
  /** Blocking and confidence options for `match`. */
  matchOptions?: MatchOptions
  /** The actor when a call names none (default the service `junction-identity`). */
  actor?: IdentityActor
  tenant?: string
  /** Makes canonical ids for `split` (default `randomUUID`). */
  newCanonicalId?: () => string
}

/** The identity operations that change links; each is audited as `identity.<operation>`. */
export type IdentityOperation = 'link' | 'unlink' | 'merge' | 'split' | 'undo'

/**
 * The outcome of a link change. `eventId` names its audit event and its journal entry: pass it to
 * `undo` to restore the links as they were. A conflict applies nothing and names both claimants.
 */
export type IdentityChangeResult =
  | {
      readonly ok: true
      readonly eventId: string
      readonly operation: IdentityOperation
      /** The changes that took effect (no-ops left out), in order. */
      readonly changes: readonly LinkChange[]
    }
  | {
      readonly ok: false
      readonly eventId: string
      readonly operation: IdentityOperation
      readonly conflicts: readonly IdentityConflict[]
    }

/** A match between records already linked to two different canonical entities. */
export interface LinkedElsewhere {
  readonly match: RecordMatch
  readonly canonicalA: string
  readonly canonicalB: string
}

/** What `match` found: matches with explanations, ambiguous records and conflicts with the store. */
export interface IdentityMatchResult extends MatchOutcome {
  readonly conflicts: readonly LinkedElsewhere[]
}

/** Entity resolution across systems: lookups, matching, and audited, reversible link changes. */
export interface IdentityResolver {
  /** The entity a system record belongs to, or `undefined`. */
  resolve(ref: SystemRef): Promise<IdentityEntity | undefined>
  /** The entities of many records, in order (one round trip in Redis). */
  resolveMany(refs: readonly SystemRef[]): Promise<Array<IdentityEntity | undefined>>
  /** Every record linked to `canonicalId`. */
  idsOf(canonicalId: string): Promise<readonly SystemRef[]>
  /** Matches A against B with the rules (blocked), and reports matches that contradict stored links. */
  match(recordsA: readonly MatchRecord[], recordsB: readonly MatchRecord[]): Promise<IdentityMatchResult>
  /** Links records to `canonicalId`; one held by another entity is a conflict, never moved. */
  link(
    canonicalId: string,
    refs: SystemRef | readonly SystemRef[],
    context?: IdentityChangeContext,
  ): Promise<IdentityChangeResult>
  /** Unlinks records from whatever entity holds them. */
  unlink(
    refs: SystemRef | readonly SystemRef[],
    context?: IdentityChangeContext,
  ): Promise<IdentityChangeResult>
  /** Moves every link of `absorbedId` to `survivorId`; `undo(eventId)` moves them back. */
  merge(
    survivorId: string,
    absorbedId: string,
    context?: IdentityChangeContext,
  ): Promise<IdentityChangeResult>
  /** Moves `refs` from `canonicalId` to a new entity (`context.newCanonicalId` or a new UUID). */
  split(
    canonicalId: string,
    refs: SystemRef | readonly SystemRef[],
    context?: IdentityChangeContext & { newCanonicalId?: string },
  ): Promise<IdentityChangeResult>
  /**
   * Restores the links an earlier change replaced, as one compare-and-set: if any of its links has
   * moved since, nothing is restored and the result names the conflicts. Undo is itself audited and
   * undoable. An unknown `eventId` is a `NotFoundError`.
   */
  undo(eventId: string, context?: IdentityChangeContext): Promise<IdentityChangeResult>
}

const DEFAULT_ACTOR: IdentityActor = { type: 'service', id: 'junction-identity' }

const optionsSchema = z.object({
  store: z.custom<IdentityStore>(hasMethods('resolveMany', 'apply', 'journal'), 'expected an IdentityStore'),
  audit: z.custom<AuditSink>(hasMethods('write'), 'expected an AuditSink'),
  rules: z.array(z.custom<MatchRule>(hasMethods('keys'), 'expected a MatchRule')).optional(),
  matchOptions: z
    .object({
      maxBlockSize: z.number().int().positive().optional(),
      minConfidence: z.number().min(0).max(1).optional(),
    })
    .optional(),
  actor: auditActorSchema.optional(),
  tenant: z.string().min(1).optional(),
  newCanonicalId: z.custom<() => string>((value) => typeof value === 'function').optional(),
})

/** Creates the identity resolver façade over a store, match rules and an audit sink. */
export function identityResolver(input: IdentityResolverOptions): IdentityResolver {
  const options = parseOptions(optionsSchema, input, 'identityResolver')
  const { store, audit } = options
  const rules = options.rules ?? defaultMatchRules()
  const newCanonicalId = options.newCanonicalId ?? randomUUID

  const change = async (
    operation: IdentityOperation,
    changes: readonly LinkChange[],
    input: Record<string, unknown>,
    context: IdentityChangeContext,
  ): Promise<IdentityChangeResult> => {
    const eventId = randomUUID()
    const started = performance.now()
    const result = await store.apply(changes, eventId)
    const canonicalIds = [
      ...new Set(changes.flatMap((step) => [step.from, step.to].filter((id) => id !== undefined))),
    ]
    const event = (): AuditEvent =>
      createAuditEvent({
        id: eventId,
        kind: 'identity',
        actor: context.actor ?? options.actor ?? DEFAULT_ACTOR,
        ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
        operation: `identity.${operation}`,
        entity: 'identity',
        recordIds: canonicalIds,
        input: { ...input, ...(context.reason === undefined ? {} : { reason: context.reason }) },
        output: result.ok ? { changes: result.applied } : { conflicts: result.conflicts },
        outcome: result.ok ? 'success' : 'failure',
        ...(result.ok ? {} : { errorCode: 'CONFLICT' }),
        latencyMs: performance.now() - started,
        ...(context.correlationId === undefined ? {} : { correlationId: context.correlationId }),
      })
    try {
      await audit.write(event())
    } catch (error) {
      // An unaudited change must not stand.
      if (result.ok) await store.apply(invertChanges(result.applied))
      throw error
    }
    return result.ok
      ? { ok: true, eventId, operation, changes: result.applied }
      : { ok: false, eventId, operation, conflicts: result.conflicts }
  }

  return {
    resolve: (ref) => store.resolve(ref),
    resolveMany: (refs) => store.resolveMany(refs),
    idsOf: (canonicalId) => store.idsOf(canonicalId),

    async match(recordsA, recordsB) {
      const outcome = matchRecords(recordsA, recordsB, rules, options.matchOptions)
      const entities = await store.resolveMany(outcome.matches.flatMap((match) => [match.a, match.b]))
      const conflicts: LinkedElsewhere[] = []
      outcome.matches.forEach((match, index) => {
        const canonicalA = entities[index * 2]?.canonicalId
        const canonicalB = entities[index * 2 + 1]?.canonicalId
        if (canonicalA !== undefined && canonicalB !== undefined && canonicalA !== canonicalB) {
          conflicts.push({ match, canonicalA, canonicalB })
        }
      })
      return { ...outcome, conflicts }
    },

    link(canonicalId, refs, context = {}) {
      checkCanonicalId(canonicalId, 'link')
      const list = refList(refs)
      return change(
        'link',
        list.map((ref) => ({ ref, from: undefined, to: canonicalId })),
        { canonicalId, refs: list },
        context,
      )
    },

    async unlink(refs, context = {}) {
      const list = refList(refs)
      const entities = await store.resolveMany(list)
      const changes = list.flatMap((ref, index) => {
        const from = entities[index]?.canonicalId
        return from === undefined ? [] : [{ ref, from, to: undefined }]
      })
      return change('unlink', changes, { refs: list }, context)
    },

    async merge(survivorId, absorbedId, context = {}) {
      checkCanonicalId(survivorId, 'merge')
      checkCanonicalId(absorbedId, 'merge')
      if (survivorId === absorbedId) {
        throw new ValidationError({
          message: 'identity merge: an entity cannot be merged into itself',
          operation: 'merge',
        })
      }
      const links = await store.idsOf(absorbedId)
      const changes = links.map((ref) => ({ ref, from: absorbedId, to: survivorId }))
      return change('merge', changes, { survivorId, absorbedId }, context)
    },

    split(canonicalId, refs, context = {}) {
      checkCanonicalId(canonicalId, 'split')
      const target = checkCanonicalId(context.newCanonicalId ?? newCanonicalId(), 'split')
      const list = refList(refs)
      const changes = list.map((ref) => ({ ref, from: canonicalId, to: target }))
      return change('split', changes, { canonicalId, newCanonicalId: target, refs: list }, context)
    },

    async undo(eventId, context = {}) {
      const entry = await store.journal(eventId)
      if (entry === undefined) {
        throw new NotFoundError({
          message: `identity undo: no change recorded under event ${eventId}`,
          operation: 'undo',
        })
      }
      return change('undo', invertChanges(entry.changes), { undoes: eventId }, context)
    },
  }
}
