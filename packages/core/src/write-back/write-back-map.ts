import { ValidationError } from '../errors/error-kinds.js'
import type { Transformer } from '../transform/transformer.js'

/** How a write-back target turns a canonical result into what it sends: a Transformer, or a function. */
export type WriteBackMap<T, R> = Transformer<T, R> | ((value: T) => R)

/** Where a refused result was headed, for the error: `label` opens the message (e.g. `write-back to Lead`). */
export interface WriteBackDestination {
  label: string
  entity: string
  system?: string | undefined
}

/** One result through a target's map: what to send, or a `ValidationError` listing the transform issues. */
export type MappedResult<R> = { ok: true; value: R } | { ok: false; error: ValidationError }

/**
 * Applies a target's `map` to one result. A Transformer's refusal becomes a `ValidationError` saying
 * what each issue expected (never the values, which may be personal data), with the issues as
 * `details`; a plain function's answer is taken as is.
 */
export function mapResult<T, R>(
  map: WriteBackMap<T, R>,
  value: T,
  to: WriteBackDestination,
): MappedResult<R> {
  if (typeof map === 'function') return { ok: true, value: map(value) }
  const result = map.transform(value)
  if (result.ok) return { ok: true, value: result.value }
  // Issue messages say what was expected and never echo the value, so they may go in the message.
  const problems = result.issues.map((issue) =>
    issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`,
  )
  return {
    ok: false,
    error: new ValidationError({
      message: `${to.label}: the record did not map (${problems.join('; ')})`,
      system: to.system,
      entity: to.entity,
      details: result.issues,
    }),
  }
}
