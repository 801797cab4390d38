import {
  type BatchOperation,
  type EntityRecord,
  isJunctionError,
  mapResult,
  type RecordId,
  ValidationError,
  type WriteBackMap,
  type WriteBackTarget,
  type WriteResult,
} from '@junction/core'
import type { SapConnector } from '../sap-connector.js'

/**
 * One canonical result as an SAP write: an update of the record with key `id` (idempotent, so a
 * replayed write-back leaves the same record; give `etag: '*'` to overwrite a set that wants `If-Match`),
 * or a create (not idempotent: a replay creates again, or is refused when the record carries its key).
 */
export type SapWrite =
  | { op: 'update'; id: RecordId; values: EntityRecord; etag?: string }
  | { op: 'create'; record: EntityRecord }

/** Options for `batchTarget`. */
export interface BatchTargetOptions<T> {
  /** The entity set written to, e.g. `A_Product`. */
  entitySet: string
  /** Canonical result → its write; a result the transformer refuses fails on its own and is not sent. */
  map: WriteBackMap<T, SapWrite>
  /** The target's name in results and approvals (default the connector's name). */
  name?: string
  /**
   * Records per changeset (default 1: a record SAP refuses fails alone). With more, each group of that
   * many records is applied all or none, and a refused record fails its whole changeset.
   */
  changesetSize?: number
}

type Mapped = { ok: true; operation: BatchOperation } | { ok: false; error: ValidationError }

const refusal = (entitySet: string, problem: string, details?: unknown) =>
  new ValidationError({
    message: `sap write-back to ${entitySet}: ${problem}`,
    system: 'sap',
    operation: 'write-back',
    entity: entitySet,
    details,
  })

/**
 * SAP's write path for write-back: canonical results go through `$batch` changesets (sheet §4), a
 * result per record in order; a changeset SAP refuses is reported on each of its records, and a
 * `$batch` request that fails as a whole fails the records it carried, never the others.
 */
export function batchTarget<T>(connector: SapConnector, options: BatchTargetOptions<T>): WriteBackTarget<T> {
  const { entitySet, map, changesetSize } = options
  if (typeof entitySet !== 'string' || entitySet === '') {
    throw new ValidationError({ message: 'batchTarget: entitySet must be a non-empty string', system: 'sap' })
  }
  if (changesetSize !== undefined && (!Number.isInteger(changesetSize) || changesetSize < 1)) {
    throw new ValidationError({
      message: 'batchTarget: changesetSize must be a whole number from 1',
      system: 'sap',
    })
  }

  const toOperation = (value: T): Mapped => {
    const mapped = mapResult(map, value, {
      label: `sap write-back to ${entitySet}`,
      entity: entitySet,
      system: 'sap',
    })
    if (!mapped.ok) return mapped
    const write = mapped.value
    switch (write?.op) {
      case 'update':
        return {
          ok: true,
          operation: {
            op: 'update',
            entity: entitySet,
            update: {
              id: write.id,
              values: write.values,
              ...(write.etag === undefined ? {} : { etag: write.etag }),
            },
          },
        }
      case 'create':
        return { ok: true, operation: { op: 'create', entity: entitySet, record: write.record } }
      default:
        return { ok: false, error: refusal(entitySet, "the map must return { op: 'update' | 'create', … }") }
    }
  }

  return {
    name: options.name ?? connector.name,
    async write(values, context) {
      const results: WriteResult[] = new Array(values.length)
      const sendable: Array<{ index: number; operation: BatchOperation }> = []
      values.forEach((value, index) => {
        const mapped = toOperation(value)
        if (mapped.ok) sendable.push({ index, operation: mapped.operation })
        else results[index] = { ok: false, index, error: mapped.error }
      })
      if (sendable.length === 0) return results.filter((result) => result !== undefined)
      try {
        const written = await connector.batch(
          sendable.map((item) => item.operation),
          { changesetSize, signal: context.signal, correlationId: context.correlationId },
        )
        for (const result of written) {
          const index = sendable[result.index]?.index
          if (index === undefined) continue
          results[index] = result.ok
            ? {
                ok: true,
                index,
                id: result.id,
                ...(result.warnings === undefined ? {} : { warnings: result.warnings }),
              }
            : { ok: false, index, id: result.id, error: result.error }
        }
      } catch (error) {
        // Refused before anything was sent (bad keys, too large a changeset): every record fails with it.
        if (!isJunctionError(error)) throw error
        for (const { index } of sendable) results[index] = { ok: false, index, error }
      }
      // Holes (a result the connector did not give) are left for writeBack to report as NO_RESULT.
      return results.filter((result) => result !== undefined)
    },
  }
}
