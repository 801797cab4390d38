import { JunctionError, type WriteResult } from '@junction/core'

/** What a transform map did with one staging row (sheet §5.1); `skipped` and `ignored` are UNVERIFIED wording. */
export type TransformStatus = 'inserted' | 'updated' | 'ignored' | 'skipped' | 'error'

/** One transform map's outcome for a row. */
export interface TransformOutcome {
  status: TransformStatus
  /** The target table and the transform map's name, when the instance said. */
  table?: string | undefined
  transformMap?: string | undefined
  /** The target row, or for a row that was not transformed the staging row (sheet §5.1). */
  sysId?: string | undefined
  message?: string | undefined
}

/** A write result for one imported row, with what each transform map did. */
export type ImportResult = WriteResult & {
  /** The staging row's sys_id, where known. */
  stagingId?: string | undefined
  transforms: readonly TransformOutcome[]
}

/**
 * The write result of one row from its transforms: any `error` fails it (code `IMPORT_ROW_FAILED`,
 * the transform's message); `inserted` / `updated` succeed with the target's sys_id and `created`;
 * `ignored` / `skipped` succeed with no id and a warning, since nothing was written and nothing failed.
 */
export function importResult(
  index: number,
  transforms: readonly TransformOutcome[],
  stagingId?: string,
): ImportResult {
  const failed = transforms.find((transform) => transform.status === 'error')
  if (failed !== undefined) {
    return {
      ok: false,
      index,
      id: stagingId,
      stagingId,
      transforms,
      error: new JunctionError({
        code: 'IMPORT_ROW_FAILED',
        message: `servicenow import: the transform ${failed.transformMap ? `"${failed.transformMap}" ` : ''}failed this row: ${failed.message ?? 'no message'}`,
        system: 'servicenow',
        operation: 'import',
        entity: failed.table,
        systemCode: 'error',
        details: failed,
      }),
    }
  }
  const written = transforms.find(
    (transform) => transform.status === 'inserted' || transform.status === 'updated',
  )
  if (written !== undefined) {
    return {
      ok: true,
      index,
      id: written.sysId,
      created: written.status === 'inserted',
      stagingId,
      transforms,
    }
  }
  if (transforms.length === 0) {
    return {
      ok: false,
      index,
      stagingId,
      transforms,
      error: new JunctionError({
        code: 'IMPORT_ROW_FAILED',
        message:
          'servicenow import: no transform ran for this row (no transform map, or an ACL hid the result)',
        system: 'servicenow',
        operation: 'import',
      }),
    }
  }
  const warnings = transforms.map(
    (transform) => `${transform.status}${transform.message ? `: ${transform.message}` : ''}`,
  )
  return { ok: true, index, id: undefined, stagingId, transforms, warnings }
}
