/** One thing wrong with one record: where, what, and a stable code. */
export interface TransformIssue {
  /** Path inside the record, e.g. `['address', 'postcode']`. */
  path: ReadonlyArray<string | number>
  /** Stable code, e.g. `missing`, `invalid_format`. */
  code: string
  message: string
}

/** A value, or the list of issues that prevented one: bad data never throws. */
export type TransformResult<T> =
  | { ok: true; value: T; warnings?: readonly TransformIssue[] }
  | { ok: false; issues: readonly TransformIssue[] }

/** A pure, total mapping from one record shape to another (system ⇄ canonical). */
export interface Transformer<In, Out> {
  readonly name: string
  transform(input: In): TransformResult<Out>
}
