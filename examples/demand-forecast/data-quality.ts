import {
  type InvalidRecord,
  qualityReport,
  type SalesOrder,
  type Transformer,
  type TransformIssue,
  type TransformResult,
  transformSuccess,
} from '@junction/core'
import { sameOrderKey } from './sap-mappings.js'

/** Orders left out of the forecast, and why. */
export interface DroppedRows {
  /** `<field>: <issue code>` (list positions as `*`, as the quality report names fields), or `duplicate`. */
  reason: string
  /** The SAP order numbers. */
  orders: string[]
}

/**
 * A transformer that keeps every result it produced, so one quality report can cover a whole sync
 * (the sync's own `progress.quality` covers its last batch).
 */
export function recordingResults<In, Out>(
  transformer: Transformer<In, Out>,
): { transformer: Transformer<In, Out>; results: TransformResult<Out>[] } {
  const results: TransformResult<Out>[] = []
  return {
    results,
    transformer: {
      name: transformer.name,
      transform(input) {
        const result = transformer.transform(input)
        results.push(result)
        return result
      },
    },
  }
}

/** Groups the records a sync refused by their first issue. */
export function refusedByReason(refused: readonly InvalidRecord[]): DroppedRows[] {
  const groups = new Map<string, string[]>()
  for (const record of refused) {
    const reason = reasonOf(record.issues[0])
    groups.set(reason, [...(groups.get(reason) ?? []), record.sourceId])
  }
  return [...groups].map(([reason, orders]) => ({ reason, orders }))
}

function reasonOf(issue: TransformIssue | undefined): string {
  if (issue === undefined) return '(record): invalid'
  const field = issue.path.map((segment) => (typeof segment === 'number' ? '*' : segment)).join('.')
  return `${field || '(record)'}: ${issue.code}`
}

/**
 * Removes orders entered twice, as the quality report's duplicate groups find them (`sameOrderKey`):
 * the lowest order number of each group stays, the others are dropped.
 */
export function dropDuplicates(orders: readonly SalesOrder[]): {
  kept: SalesOrder[]
  dropped: DroppedRows | undefined
} {
  const sorted = [...orders].sort((a, b) => a.number.localeCompare(b.number, 'en', { numeric: true }))
  const report = qualityReport(
    sorted.map((order) => transformSuccess(order)),
    { keys: sameOrderKey, maxDuplicateGroups: Math.max(sorted.length, 1) },
  )
  const later = new Set((report.duplicates?.examples ?? []).flatMap(({ indexes }) => indexes.slice(1)))
  if (later.size === 0) return { kept: sorted, dropped: undefined }
  return {
    kept: sorted.filter((_, index) => !later.has(index)),
    dropped: {
      reason: 'duplicate',
      orders: sorted.filter((_, index) => later.has(index)).map((order) => order.number),
    },
  }
}
