import {
  type AmbiguousMatch,
  assertApplied,
  type IdentityEntity,
  type IdentityResolver,
  type MatchRecord,
  type RecordMatch,
  type SystemRef,
} from '@junction/core'

/** A match the resolver acted on: it linked records, or confirmed records already linked together. */
export interface AcceptedLink {
  readonly canonicalId: string
  readonly match: RecordMatch
  /** `linked`: this match put the records together; `confirmed`: they were already linked (a rerun, or more evidence). */
  readonly outcome: 'linked' | 'confirmed'
}

/** An entity named in a conflict, with every record linked to it at the time. */
export interface Claimant {
  readonly canonicalId: string
  readonly links: readonly SystemRef[]
}

/**
 * A match that was not applied because it contradicts links already made on stronger evidence.
 * `held-by-another-entity`: the record belongs to `heldBy`, and the match would give it to `claimedBy`
 * (reported by the identity store, nothing moved). `system-already-linked`: `claimedBy` already holds
 * another record of the same system, so taking this one too would merge two of that system's customers.
 */
export interface ResolutionConflict {
  readonly kind: 'held-by-another-entity' | 'system-already-linked'
  readonly contested: SystemRef
  readonly heldBy: Claimant | undefined
  readonly claimedBy: Claimant
  readonly match: RecordMatch
}

/** What resolution did. */
export interface Resolution {
  readonly links: readonly AcceptedLink[]
  readonly conflicts: readonly ResolutionConflict[]
  /** Records the rules matched to more than one record of another system. */
  readonly ambiguous: readonly AmbiguousMatch[]
  /** Every record's entity, in input order. */
  readonly entities: readonly IdentityEntity[]
  /** Candidate pairs compared (after blocking), and the pairs a full cross product would have compared. */
  readonly comparisons: number
  readonly crossProduct: number
}

const refKey = (ref: SystemRef): string => `${ref.system}:${ref.id}`

/** The canonical id of an entity first formed around `ref`: stable, so a rerun on a kept store meets it again. */
export const canonicalIdFor = (ref: SystemRef): string => `customer:${refKey(ref)}`

// Strongest evidence first; ties in a fixed order so every run decides alike.
const byEvidence = (left: RecordMatch, right: RecordMatch): number =>
  right.confidence - left.confidence ||
  `${refKey(left.a)}|${refKey(left.b)}`.localeCompare(`${refKey(right.a)}|${refKey(right.b)}`)

const claimant = async (resolver: IdentityResolver, canonicalId: string): Promise<Claimant> => ({
  canonicalId,
  links: await resolver.idsOf(canonicalId),
})

/**
 * Entity resolution over several systems. Each pair of systems is matched with the resolver's rules
 * (blocked, explained); the matches are then applied strongest first. A match between unlinked records
 * forms an entity; one touching a linked record extends that entity, unless the entity already holds
 * a record of the same system, or the other record already belongs to another entity: then it is a
 * conflict, reported with both claimants and never applied. Records no rule matched become entities
 * of their own. Every link change goes through the resolver, so it is audited and undoable.
 */
export async function resolveIdentities(
  resolver: IdentityResolver,
  recordsBySystem: readonly (readonly MatchRecord[])[],
): Promise<Resolution> {
  const matches: RecordMatch[] = []
  const ambiguous: AmbiguousMatch[] = []
  let comparisons = 0
  let crossProduct = 0
  for (const [index, left] of recordsBySystem.entries()) {
    for (const right of recordsBySystem.slice(index + 1)) {
      const outcome = await resolver.match(left, right)
      matches.push(...outcome.matches)
      ambiguous.push(...outcome.ambiguous)
      comparisons += outcome.stats.comparisons
      crossProduct += left.length * right.length
    }
  }
  matches.sort(byEvidence)

  const links: AcceptedLink[] = []
  const conflicts: ResolutionConflict[] = []
  for (const match of matches) {
    const reason = match.explanations.map((explanation) => explanation.rule).join(' + ')
    const [entityA, entityB] = await resolver.resolveMany([match.a, match.b])
    if (entityA === undefined && entityB === undefined) {
      const canonicalId = canonicalIdFor(match.a)
      assertApplied(await resolver.link(canonicalId, [match.a, match.b], { reason }))
      links.push({ canonicalId, match, outcome: 'linked' })
    } else if (entityA !== undefined && entityB !== undefined) {
      if (entityA.canonicalId === entityB.canonicalId) {
        links.push({ canonicalId: entityA.canonicalId, match, outcome: 'confirmed' })
        continue
      }
      // Asked of the store on purpose: it refuses to move a held record and names both claimants.
      const result = await resolver.link(entityA.canonicalId, match.b, { reason })
      if (result.ok) {
        // Only if another process unlinked it in between.
        links.push({ canonicalId: entityA.canonicalId, match, outcome: 'linked' })
        continue
      }
      for (const conflict of result.conflicts) {
        conflicts.push({
          kind: 'held-by-another-entity',
          contested: conflict.ref,
          heldBy: conflict.heldBy === undefined ? undefined : await claimant(resolver, conflict.heldBy),
          claimedBy: await claimant(resolver, conflict.claimedBy ?? entityA.canonicalId),
          match,
        })
      }
    } else {
      const [entity, ref] = entityA !== undefined ? [entityA, match.b] : [entityB as IdentityEntity, match.a]
      if (entity.links.some((link) => link.system === ref.system)) {
        conflicts.push({
          kind: 'system-already-linked',
          contested: ref,
          heldBy: undefined,
          claimedBy: { canonicalId: entity.canonicalId, links: entity.links },
          match,
        })
        continue
      }
      assertApplied(await resolver.link(entity.canonicalId, ref, { reason }))
      links.push({ canonicalId: entity.canonicalId, match, outcome: 'linked' })
    }
  }

  const records = recordsBySystem.flat()
  const found = await resolver.resolveMany(records.map((record) => record.ref))
  const entities: IdentityEntity[] = []
  for (const [index, record] of records.entries()) {
    const entity = found[index]
    if (entity !== undefined) {
      entities.push(entity)
      continue
    }
    const canonicalId = canonicalIdFor(record.ref)
    assertApplied(await resolver.link(canonicalId, record.ref, { reason: 'no rule matched' }))
    entities.push({ canonicalId, links: [record.ref], ids: { [record.ref.system]: record.ref.id } })
  }
  return { links, conflicts, ambiguous, entities, comparisons, crossProduct }
}
