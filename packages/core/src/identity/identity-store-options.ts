import { ValidationError } from '../errors/error-kinds.js'
import { exactIdFormat, type IdFormat } from './id-format.js'
import { checkCanonicalId, checkRef, type LinkChange, type SystemRef } from './identity-link.js'

/** Options both identity store drivers share. */
export interface IdentityStoreOptions {
  /** How each system's ids are keyed (default: trimmed, case kept), e.g. `{ crm: salesforceIdFormat }`. */
  idFormats?: Readonly<Record<string, IdFormat>>
}

/** A ref checked and keyed by its system's format; `id` is what is stored and returned. */
export interface KeyedRef {
  readonly system: string
  readonly key: string
  readonly id: string
}

/** A change with its ref keyed. */
export interface KeyedChange {
  readonly ref: KeyedRef
  readonly from: string | undefined
  readonly to: string | undefined
}

/** Checks refs and changes and keys them by the configured id formats; shared by both drivers. */
export class RefKeys {
  readonly #formats: Readonly<Record<string, IdFormat>>

  constructor(formats: Readonly<Record<string, IdFormat>> = {}) {
    this.#formats = formats
  }

  /** The checked ref with its lookup key. */
  keyed(ref: SystemRef, operation: string): KeyedRef {
    checkRef(ref, operation)
    const format = Object.hasOwn(this.#formats, ref.system) ? this.#formats[ref.system] : undefined
    return { system: ref.system, key: (format ?? exactIdFormat)(ref.id), id: ref.id.trim() }
  }

  /** Checked, keyed changes; the same ref twice in one set is a `ValidationError`. */
  changes(changes: readonly LinkChange[], operation: string): KeyedChange[] {
    const seen = new Set<string>()
    return changes.map((change) => {
      const ref = this.keyed(change.ref, operation)
      if (change.from !== undefined) checkCanonicalId(change.from, operation)
      if (change.to !== undefined) checkCanonicalId(change.to, operation)
      const id = `${ref.system}:${ref.key}`
      if (seen.has(id)) {
        throw new ValidationError({
          message: `identity ${operation}: ${ref.system} id ${ref.id} appears twice in one change set`,
          operation,
        })
      }
      seen.add(id)
      return { ref, from: change.from, to: change.to }
    })
  }
}

/** A list of refs from one ref or many. */
export const refList = (refs: SystemRef | readonly SystemRef[]): readonly SystemRef[] =>
  Array.isArray(refs) ? refs : [refs as SystemRef]
