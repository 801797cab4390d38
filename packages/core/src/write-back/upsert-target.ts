import type { Connector, EntityRecord, WriteResult } from '../connector/connector.js'
import { JunctionError } from '../errors/junction-error.js'
import { type MappedResult, mapResult, type WriteBackMap } from './write-back-map.js'
import type { WriteBackTarget } from './write-back-target.js'

/** Options for `upsertTarget`. */
export interface UpsertTargetOptions<T> {
  connector: Connector
  entity: string
  /** The system's external-id field the upsert matches on (idempotent: a replay updates, never duplicates). */
  externalId: string
  /** Canonical result → the system's record; records it refuses are failed results, not sent. */
  map?: WriteBackMap<T, EntityRecord>
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
  const to = { label: `write-back to ${entity}`, entity, system: connector.system }
  const toRecord = (value: T): MappedResult<EntityRecord> =>
    map === undefined ? { ok: true, value: value as unknown as EntityRecord } : mapResult(map, value, to)
  return {
    name: options.name ?? connector.name,
    async write(values, context) {
      const results: Array<WriteResult | undefined> = new Array(values.length)
      const sendable: Array<{ index: number; record: EntityRecord }> = []
      values.forEach((value, index) => {
        const mapped = toRecord(value)
        if (mapped.ok) sendable.push({ index, record: mapped.value })
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
      return Array.from(
        { length: values.length },
        (_, index): WriteResult =>
          results[index] ?? {
            ok: false,
            index,
            error: new JunctionError({
              code: 'MALFORMED_RESPONSE',
              message: `write-back to ${entity}: the upsert reported no result for this record`,
              system: connector.system,
              operation: 'upsert',
              entity,
            }),
          },
      )
    },
  }
}
