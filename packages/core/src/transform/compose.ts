import { guarded } from './converter.js'
import type { Transformer, TransformIssue, TransformResult } from './transformer.js'

/**
 * A then B (e.g. SAP record → canonical → another system's record). The first failure stops the chain;
 * warnings of both steps are kept. Invertible when both are: the inverse is B⁻¹ then A⁻¹.
 */
export function compose<A, B, C>(first: Transformer<A, B>, second: Transformer<B, C>): Transformer<A, C> {
  const name = `${first.name} → ${second.name}`
  const firstBack = first.inverse
  const secondBack = second.inverse
  return {
    name,
    transform: (input) =>
      guarded(name, (): TransformResult<C> => {
        const middle = first.transform(input)
        if (!middle.ok) return middle
        const last = second.transform(middle.value)
        const warnings: TransformIssue[] = [...(middle.warnings ?? []), ...(last.warnings ?? [])]
        const extra = warnings.length > 0 ? { warnings } : {}
        return last.ok
          ? { ok: true, value: last.value, ...extra }
          : { ok: false, issues: last.issues, ...extra }
      }),
    ...(firstBack && secondBack ? { inverse: compose(secondBack, firstBack) } : {}),
  }
}
