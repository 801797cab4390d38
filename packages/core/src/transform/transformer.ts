import type { TransformIssueCode } from './issue-codes.js'

/** One thing wrong with one record: where, what, and a stable code. */
export interface TransformIssue {
  /** Path inside the record, e.g. `['address', 'postcode']`: the target path for mapped fields. */
  path: ReadonlyArray<string | number>
  /** Stable code, e.g. `missing`, `invalid_format` (see `transformIssueCodes`); teams may add their own. */
  code: TransformIssueCode
  /** Says what was expected; never echoes the offending value, which may be personal data. */
  message: string
}

/**
 * A value, or the list of issues that prevented one: bad data never throws. Warnings are issues that did
 * not prevent a value (e.g. an optional field with no value); a failure keeps them too, so a quality report
 * counts missing values on every record.
 */
export type TransformResult<T> =
  | { ok: true; value: T; warnings?: readonly TransformIssue[] }
  | { ok: false; issues: readonly TransformIssue[]; warnings?: readonly TransformIssue[] }

/** A pure, total mapping from one record shape to another (system ⇄ canonical). */
export interface Transformer<In, Out> {
  readonly name: string
  transform(input: In): TransformResult<Out>
  /** The way back (canonical → system, for write-back), when one was declared. */
  readonly inverse?: Transformer<Out, unknown> | undefined
}

/** A successful result. */
export function valid<T>(value: T, warnings?: readonly TransformIssue[]): TransformResult<T> {
  return warnings && warnings.length > 0 ? { ok: true, value, warnings } : { ok: true, value }
}

/** A failed result with one issue at the root of the value being converted. */
export function invalid<T = never>(code: TransformIssueCode, message: string): TransformResult<T> {
  return { ok: false, issues: [{ path: [], code, message }] }
}
