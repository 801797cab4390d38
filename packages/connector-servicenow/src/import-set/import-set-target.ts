import {
  ConfigError,
  type EntityRecord,
  JunctionError,
  mapResult,
  ValidationError,
  type WriteBackContext,
  type WriteBackMap,
  type WriteBackTarget,
} from '@junction/core'
import { tableName } from '../query/encoded-query.js'
import type { ServiceNowConnector } from '../servicenow-connector.js'
import type { ImportResult } from './import-results.js'
import type { ImportOptions } from './import-set.js'

/** Options of `importSetTarget`. */
export interface ImportSetTargetOptions<T>
  extends Pick<ImportOptions, 'chunkSize' | 'pollIntervalMs' | 'waitMs'> {
  /**
   * The staging table whose transform maps write the target table. Let them coalesce on a key of the
   * result (e.g. `number`, `correlation_id`): a replay then updates instead of inserting again.
   */
  staging: string
  /** Canonical result → a staging row keyed by column names; a record it refuses fails and is not sent. */
  map?: WriteBackMap<T, EntityRecord>
  /** The target's name in results and approvals (default the connector's name). */
  name?: string
  /**
   * `multiple` (default): `insertMultiple` in chunks, then each row's outcome read back; `single`: one
   * synchronous `POST /api/now/import/{staging}` per row.
   */
  mode?: 'single' | 'multiple'
  /**
   * How `insertMultiple` keys a record (sheet §5.2): by column `label` (the instance default; the labels
   * are read once from `sys_dictionary` with `describe`), or by column `name` where a
   * `sys_rest_insert_multiple` record maps names. Single-row imports always use names.
   */
  keys?: 'label' | 'name'
}

/** A write-back target on the Import Set API; each result carries what the transform maps did with the row. */
export interface ImportSetTarget<T> extends WriteBackTarget<T> {
  write(records: readonly T[], context: WriteBackContext): Promise<ImportResult[]>
}

type Staged = { ok: true; row: EntityRecord } | { ok: false; error: JunctionError }

/**
 * ServiceNow's write path for canonical results (reverse ETL): rows go into a staging table and the
 * instance's transform maps write them, so its own coalescing, scripts and data policies apply. A row
 * a transform fails is `ok: false` (`IMPORT_ROW_FAILED`); one it ignores is `ok: true` with no id and a
 * warning, since retrying it would change nothing.
 */
export function importSetTarget<T>(
  connector: ServiceNowConnector,
  options: ImportSetTargetOptions<T>,
): ImportSetTarget<T> {
  if (typeof connector?.importRows !== 'function' || typeof connector.describe !== 'function') {
    throw new ConfigError({ message: 'importSetTarget needs a servicenow connector', option: 'connector' })
  }
  const staging = stagingName(options.staging)
  const { map, mode = 'multiple', keys = 'label' } = options
  const byLabel = mode === 'multiple' && keys === 'label'
  let labels: Promise<ReadonlyMap<string, string>> | undefined

  const labelsOf = (signal: AbortSignal | undefined) => {
    if (labels !== undefined) return labels
    const reading = connector.describe(staging, { signal }).then((columns) => {
      if (columns.length === 0) {
        throw new ValidationError({
          message: `servicenow import: sys_dictionary lists no columns of ${staging}, so its labels are unknown (give keys: 'name' if the instance maps names)`,
          system: 'servicenow',
          entity: staging,
        })
      }
      return new Map(columns.map((column) => [column.name, column.label ?? column.name]))
    })
    // A failed read is not remembered: the next write asks again.
    reading.catch(() => {
      if (labels === reading) labels = undefined
    })
    labels = reading
    return reading
  }

  const stage = (value: T, columns: ReadonlyMap<string, string> | undefined): Staged => {
    let row: EntityRecord
    if (map === undefined) row = value as unknown as EntityRecord
    else {
      const mapped = mapResult(map, value, {
        label: `servicenow import into ${staging}`,
        entity: staging,
        system: 'servicenow',
      })
      if (!mapped.ok) return mapped
      row = mapped.value
    }
    if (columns === undefined) return { ok: true, row }
    const unknown = Object.keys(row).filter((name) => !columns.has(name))
    if (unknown.length > 0) {
      // insertMultiple drops keys it does not know: the value would be lost without a word.
      return {
        ok: false,
        error: new ValidationError({
          message: `servicenow import: ${staging} has no column ${unknown.map((name) => `"${name}"`).join(', ')}`,
          system: 'servicenow',
          entity: staging,
        }),
      }
    }
    return {
      ok: true,
      row: Object.fromEntries(Object.entries(row).map(([name, cell]) => [columns.get(name), cell])),
    }
  }

  return {
    name: options.name ?? connector.name,
    async write(values, context) {
      const results: ImportResult[] = new Array(values.length)
      const failAll = (indexes: readonly number[], error: JunctionError) => {
        for (const index of indexes) results[index] = { ok: false, index, error, transforms: [] }
      }
      let columns: ReadonlyMap<string, string> | undefined
      if (byLabel && values.length > 0) {
        try {
          columns = await labelsOf(context.signal)
        } catch (error) {
          if (!(error instanceof JunctionError)) throw error
          failAll([...values.keys()], error)
          return results
        }
      }
      const sent: number[] = []
      const rows: EntityRecord[] = []
      values.forEach((value, index) => {
        const staged = stage(value, columns)
        if (!staged.ok) failAll([index], staged.error)
        else {
          sent.push(index)
          rows.push(staged.row)
        }
      })
      if (rows.length > 0) {
        try {
          const imported = await connector.importRows(staging, rows, {
            mode,
            chunkSize: options.chunkSize,
            pollIntervalMs: options.pollIntervalMs,
            waitMs: options.waitMs,
            signal: context.signal,
            correlationId: context.correlationId,
          })
          for (const result of imported) {
            const index = sent[result.index]
            if (index !== undefined) results[index] = { ...result, index }
          }
        } catch (error) {
          // The whole import failed before any row was reported (auth, a bad option...).
          if (!(error instanceof JunctionError)) throw error
          failAll(sent, error)
        }
      }
      return results.filter((result) => result !== undefined)
    },
  }
}

function stagingName(staging: unknown): string {
  try {
    if (typeof staging === 'string') return tableName(staging)
  } catch {
    // Reported below, as a problem with the option.
  }
  throw new ConfigError({
    message: 'importSetTarget: staging must be a table name (lower-case letters, digits, _)',
    option: 'staging',
  })
}
