import { type Converter, guarded } from './converter.js'
import { isPlainRecord } from './record-path.js'
import type { Transformer, TransformIssue, TransformResult } from './transformer.js'

/**
 * Applies a transformer (often a line mapping) to every element of a list, with issues prefixed by the
 * element's index. SAP's expanded `{results: [...]}` wrapper is unwrapped. Invertible when `item` is.
 */
export function each<Out>(item: Transformer<unknown, Out>): Converter<Out[]> {
  const name = `each(${item.name})`
  const back = item.inverse
  return {
    name,
    transform: (value) => guarded(name, () => eachOf(item, value)),
    ...(back ? { inverse: each(back) } : {}),
  }
}

function eachOf<Out>(item: Transformer<unknown, Out>, value: unknown): TransformResult<Out[]> {
  const list = isPlainRecord(value) && Array.isArray(value.results) ? value.results : value
  if (!Array.isArray(list)) {
    return { ok: false, issues: [{ path: [], code: 'invalid_type', message: 'expected a list' }] }
  }
  const values: Out[] = []
  const issues: TransformIssue[] = []
  const warnings: TransformIssue[] = []
  for (const [index, element] of list.entries()) {
    const result = guarded(item.name, () => item.transform(element))
    if (result.ok) values.push(result.value)
    else issues.push(...prefixed(index, result.issues))
    warnings.push(...prefixed(index, result.warnings ?? []))
  }
  const extra = warnings.length > 0 ? { warnings } : {}
  return issues.length > 0 ? { ok: false, issues, ...extra } : { ok: true, value: values, ...extra }
}

function prefixed(index: number, issues: readonly TransformIssue[]): TransformIssue[] {
  return issues.map((issue) => ({ ...issue, path: [index, ...issue.path] }))
}
