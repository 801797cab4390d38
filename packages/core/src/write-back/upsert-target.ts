import type { Connector, EntityRecord, WriteResult } from '../connector/connector.js'
import { ValidationError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import type { Transformer } from '../transform/transformer.js'
import type { WriteBackTarget } from './write-back-target.js'

/** Options for `upsertTarget`. */
export interface UpsertTargetOptions<T> {
  connector: Connector
  entity: string
  /** The system's external-id field the upsert matches on (idempotent: a replay updates, never duplicates). */
  externalId: string
  /** Canonical result → the system's record; records it refuses are failed results, not sent. */
  map?: Transformer<T, EntityRecord> | ((value: T) => EntityRecord)
  /** The target's name (default the connector's name). */
  name?: string
  /** Records per upsert call (default all at once; the connector splits by its own limits). */
  chunkSize?: number
}

/**
 * The portable write path: `connector.upsert(entity, records, { externalId })`. Adapters may offer
 * better ones (Bulk, `$batch`, Import Sets) behind the same `WriteBackTarget` interface.
 */
export function upsertTarget<T>(options: UpsertTargetOptions<T>): WriteBackTarget<T> {
  const { connector, entity, externalId, map } = options
  const toRecord = (value: T): { ok: true; record: EntityRecord } | { ok: false; error: ValidationError } => {
    if (map === undefined) return { ok: true, record: value as unknown as EntityRecord }
    if (typeof map === 'function') return { ok: true, record: map(value) }
    const result = map.transform(value)
    if (result.ok) return { ok: true, record: result.value }
    return {
      ok: false,
      error: new ValidationError({
        message: `write-back to ${entity}: the record did not map (${result.issues.map((issue) => issue.code).join(', ')})`,
        entity,
        details: result.issues,
      }),
    }
  }
  return {
    name: options.name ?? connector.name,
    async write(values, context) {
      const results: WriteResult[] = new Array(values.length)
      const sendable: Array<{ index: number; record: EntityRecord }> = []
      values.forEach((value, index) => {
        const mapped = toRecord(value)
        if (mapped.ok) sendable.push({ index, record: mapped.record })
        else results[index] = { ok: false, index, error: mapped.error }
      })
      const size = options.chunkSize ?? Math.max(1, sendable.length)
      for (let start = 0; start < sendable.length; start += size) {
        const chunk = sendable.slice(start, start + size)
        try {
          const written = await connector.upsert(
            entity,
            chunk.map((item) => item.record),
            { externalId, signal: context.signal, correlationId: context.correlationId },
          )
          for (const result of written) {
            const index = chunk[result.index]?.index
            if (index !== undefined) results[index] = { ...result, index }
          }
        } catch (error) {
          // A whole call failed (connection, auth...): its records fail, earlier chunks keep their results.
          if (!(error instanceof JunctionError)) throw error
          for (const { index } of chunk) results[index] = { ok: false, index, error }
        }
      }
      return results.filter((result) => result !== undefined)
    },
  }
}
