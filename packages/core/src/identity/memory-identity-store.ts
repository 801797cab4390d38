import { storeClosed } from '../stores/store-arguments.js'
import {
  checkCanonicalId,
  type IdentityConflict,
  type IdentityEntity,
  type LinkChange,
  type LinkResult,
  type SystemRef,
  toEntity,
} from './identity-link.js'
import type { IdentityStore, JournalEntry } from './identity-store.js'
import { type IdentityStoreOptions, type KeyedRef, RefKeys, refList } from './identity-store-options.js'

const DRIVER = 'memory identity'

/**
 * The embedded identity store: two maps, system → (id key → canonical id) and canonical id →
 * (`system:key` → ref), so a lookup either way is two hash reads. One process only.
 */
export function memoryIdentityStore(options: IdentityStoreOptions = {}): IdentityStore {
  const keys = new RefKeys(options.idFormats)
  const forward = new Map<string, Map<string, string>>()
  const entities = new Map<string, Map<string, SystemRef>>()
  const journals = new Map<string, JournalEntry>()
  let closed = false

  const open = (operation: string): void => {
    if (closed) throw storeClosed(DRIVER, operation)
  }
  const holder = (ref: KeyedRef): string | undefined => forward.get(ref.system)?.get(ref.key)
  const entityOf = (canonicalId: string): IdentityEntity | undefined => {
    const links = entities.get(canonicalId)
    return links === undefined ? undefined : toEntity(canonicalId, [...links.values()])
  }
  const resolveOne = (ref: SystemRef, operation: string): IdentityEntity | undefined => {
    const canonicalId = holder(keys.keyed(ref, operation))
    return canonicalId === undefined ? undefined : entityOf(canonicalId)
  }

  const apply = (changes: readonly LinkChange[], journalId: string | undefined): LinkResult => {
    const keyed = keys.changes(changes, 'apply')
    const conflicts: IdentityConflict[] = []
    const effective: typeof keyed = []
    for (const change of keyed) {
      const current = holder(change.ref)
      if (current === change.to) continue
      if (current !== change.from) {
        conflicts.push({
          ref: { system: change.ref.system, id: change.ref.id },
          heldBy: current,
          claimedBy: change.to,
        })
      } else effective.push(change)
    }
    if (conflicts.length > 0) return { ok: false, conflicts }
    for (const { ref, from, to } of effective) {
      const field = `${ref.system}:${ref.key}`
      let stored: SystemRef = { system: ref.system, id: ref.id }
      if (from !== undefined) {
        const links = entities.get(from)
        stored = links?.get(field) ?? stored
        links?.delete(field)
        if (links?.size === 0) entities.delete(from)
      }
      let systemIndex = forward.get(ref.system)
      if (to === undefined) {
        systemIndex?.delete(ref.key)
        continue
      }
      if (systemIndex === undefined) {
        systemIndex = new Map()
        forward.set(ref.system, systemIndex)
      }
      systemIndex.set(ref.key, to)
      let links = entities.get(to)
      if (links === undefined) {
        links = new Map()
        entities.set(to, links)
      }
      links.set(field, stored)
    }
    const applied = effective.map(({ ref, from, to }) => ({
      ref: { system: ref.system, id: ref.id },
      from,
      to,
    }))
    if (journalId !== undefined) journals.set(journalId, { id: journalId, changes: applied })
    return { ok: true, applied }
  }

  return {
    async resolve(ref) {
      open('resolve')
      return resolveOne(ref, 'resolve')
    },
    async resolveMany(refs) {
      open('resolveMany')
      return refs.map((ref) => resolveOne(ref, 'resolveMany'))
    },
    async idsOf(canonicalId) {
      open('idsOf')
      return entityOf(checkCanonicalId(canonicalId, 'idsOf'))?.links ?? []
    },
    async link(canonicalId, refs) {
      open('link')
      checkCanonicalId(canonicalId, 'link')
      return apply(
        refList(refs).map((ref) => ({ ref, from: undefined, to: canonicalId })),
        undefined,
      )
    },
    async unlink(ref) {
      open('unlink')
      const canonicalId = holder(keys.keyed(ref, 'unlink'))
      if (canonicalId !== undefined) apply([{ ref, from: canonicalId, to: undefined }], undefined)
      return canonicalId
    },
    async apply(changes, journalId) {
      open('apply')
      if (journalId !== undefined) checkCanonicalId(journalId, 'apply')
      return apply(changes, journalId)
    },
    async journal(journalId) {
      open('journal')
      return journals.get(journalId)
    },
    async close() {
      closed = true
    },
  }
}
