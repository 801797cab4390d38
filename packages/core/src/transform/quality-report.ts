import { isMissing, readSegments } from './record-path.js'
import type { TransformIssue, TransformResult } from './transformer.js'

/** What makes two records duplicates: target field paths (`['email']`, `['name', 'address.postcode']`) or a function. */
export type DuplicateKey<T> = readonly string[] | ((value: T) => string | undefined)

/** Options of `qualityReport`. */
export interface QualityReportOptions<T> {
  /** Duplicate detection over the records that transformed; without it duplicates are not looked for. */
  keys?: DuplicateKey<T>
  /** Fields always listed under `missing` (even at 0), e.g. a mapping's `fields`. */
  fields?: readonly string[]
  /** How many duplicate groups to list (each with record indexes); counts cover all of them. Default 20. */
  maxDuplicateGroups?: number
}

/** A batch's data quality, JSON-serialisable; it names fields, codes and indexes, never values. */
export interface QualityReport {
  records: {
    total: number
    /** Transformed (possibly with warnings). */
    ok: number
    /** Did not transform: at least one issue. */
    failed: number
    /** Transformed with no warning at all. */
    clean: number
  }
  /** Per field (dot path, list positions as `*`): records where it had no value, and that count over the total. */
  missing: Record<string, { count: number; rate: number }>
  /** Everything else that was wrong, by field then code, and by code alone (issues and warnings). */
  invalid: { byField: Record<string, Record<string, number>>; byCode: Record<string, number> }
  duplicates?: {
    /** Keys held by more than one record. */
    groups: number
    /** Records beyond the first in each group: what deduplication would remove. */
    records: number
    /** Records with no usable key (a key field missing), left out of the comparison. */
    unkeyed: number
    /** Up to `maxDuplicateGroups` groups, as indexes into the batch, in order of first appearance. */
    examples: { indexes: number[] }[]
  }
}

/**
 * Summarizes a batch of transform results. Missing values are read from `missing` issues and warnings
 * (mappings report every field without a value), so failed records count too. Duplicates are found
 * among the records that transformed; key fields compare text case- and whitespace-insensitively.
 */
export function qualityReport<T>(
  results: readonly TransformResult<T>[],
  options: QualityReportOptions<T> = {},
): QualityReport {
  const total = results.length
  const missingCounts = new Map<string, number>((options.fields ?? []).map((field) => [field, 0]))
  const byField: Record<string, Record<string, number>> = {}
  const byCode: Record<string, number> = {}
  let ok = 0
  let clean = 0
  for (const result of results) {
    if (result.ok) ok++
    if (result.ok && (result.warnings ?? []).length === 0) clean++
    const seenMissing = new Set<string>()
    for (const issue of allIssues(result)) {
      const field = fieldName(issue.path)
      if (issue.code === 'missing') seenMissing.add(field)
      else {
        const codes = byField[field] ?? {}
        codes[issue.code] = (codes[issue.code] ?? 0) + 1
        byField[field] = codes
        byCode[issue.code] = (byCode[issue.code] ?? 0) + 1
      }
    }
    for (const field of seenMissing) missingCounts.set(field, (missingCounts.get(field) ?? 0) + 1)
  }
  const missing: QualityReport['missing'] = {}
  for (const [field, count] of [...missingCounts].sort(([a], [b]) => a.localeCompare(b))) {
    missing[field] = { count, rate: total === 0 ? 0 : count / total }
  }
  const report: QualityReport = {
    records: { total, ok, failed: total - ok, clean },
    missing,
    invalid: { byField, byCode },
  }
  if (options.keys)
    report.duplicates = findDuplicates(results, options.keys, options.maxDuplicateGroups ?? 20)
  return report
}

/** `lines.3.quantity` → `lines.*.quantity`: list positions are folded so a field is one row of the report. */
function fieldName(path: ReadonlyArray<string | number>): string {
  if (path.length === 0) return '(record)'
  return path.map((segment) => (typeof segment === 'number' ? '*' : segment)).join('.')
}

function allIssues<T>(result: TransformResult<T>): readonly TransformIssue[] {
  const warnings = result.warnings ?? []
  return result.ok ? warnings : [...result.issues, ...warnings]
}

function findDuplicates<T>(
  results: readonly TransformResult<T>[],
  keys: DuplicateKey<T>,
  maxGroups: number,
): NonNullable<QualityReport['duplicates']> {
  const keyOf = typeof keys === 'function' ? keys : fieldKey<T>(keys)
  const groups = new Map<string, number[]>()
  let unkeyed = 0
  for (const [index, result] of results.entries()) {
    if (!result.ok) continue
    const key = safeKey(keyOf, result.value)
    if (key === undefined) {
      unkeyed++
      continue
    }
    const indexes = groups.get(key)
    if (indexes) indexes.push(index)
    else groups.set(key, [index])
  }
  const repeated = [...groups.values()].filter((indexes) => indexes.length > 1)
  return {
    groups: repeated.length,
    records: repeated.reduce((sum, indexes) => sum + indexes.length - 1, 0),
    unkeyed,
    examples: repeated.slice(0, maxGroups).map((indexes) => ({ indexes })),
  }
}

function safeKey<T>(keyOf: (value: T) => string | undefined, value: T): string | undefined {
  try {
    return keyOf(value)
  } catch {
    return undefined
  }
}

function fieldKey<T>(fields: readonly string[]): (value: T) => string | undefined {
  return (value) => {
    const parts: string[] = []
    for (const field of fields) {
      const part = readSegments(value, field.split('.'))
      if (isMissing(part)) return undefined
      parts.push(normalize(part))
    }
    return JSON.stringify(parts)
  }
}

function normalize(part: unknown): string {
  if (typeof part === 'string') return part.trim().replace(/\s+/g, ' ').toLowerCase()
  if (part instanceof Date) return part.toISOString()
  return JSON.stringify(part) ?? String(part)
}
