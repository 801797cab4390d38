import { ConfigError } from '../errors/error-kinds.js'
import { guarded } from './converter.js'
import type { FieldSource, FieldStep } from './field-spec.js'
import { isMissing, isPlainRecord, isRecordLike, readPath, writePath } from './record-path.js'
import type { Transformer, TransformIssue, TransformResult } from './transformer.js'

/** One target leaf, flattened from the nested field specs. */
export interface FieldRule {
  /** Where the value goes, e.g. `['address', 'postcode']`. */
  target: readonly string[]
  source: FieldSource<never>
  steps: readonly FieldStep[]
}

/** What applying the rules to one record produced, before the target schema is checked. */
export interface AppliedRules {
  built: Record<string, unknown>
  issues: TransformIssue[]
  warnings: TransformIssue[]
  /** Targets that had no value. */
  missing: (readonly string[])[]
}

/** Flattens `{ email: 'Email', address: { city: 'City' } }` into one rule per target leaf; a malformed spec is a `ConfigError`. */
export function compileRules(specs: object, prefix: readonly string[] = []): FieldRule[] {
  const rules: FieldRule[] = []
  for (const [key, spec] of Object.entries(specs)) {
    const target = [...prefix, key]
    if (spec === undefined) continue
    if (isSource(spec)) rules.push({ target, source: spec, steps: [] })
    else if (Array.isArray(spec) && isSource(spec[0]) && spec.slice(1).every(isStep)) {
      rules.push({ target, source: spec[0], steps: spec.slice(1) })
    } else if (isPlainRecord(spec) && !isStep(spec)) rules.push(...compileRules(spec, target))
    else {
      throw new ConfigError({
        message: `mapping field "${target.join('.')}": expected a path, a function, [source, ...steps] or nested fields (a converter needs a source: ['Path', converter])`,
        option: `fields.${target.join('.')}`,
      })
    }
  }
  return rules
}

function isSource(value: unknown): value is FieldSource<never> {
  return typeof value === 'string' || typeof value === 'function'
}

function isStep(value: unknown): value is FieldStep {
  return typeof value === 'function' || (isRecordLike(value) && typeof value.transform === 'function')
}

/** Runs every rule against the record; one field's failure never stops the others. */
export function applyRules(rules: readonly FieldRule[], record: unknown): AppliedRules {
  const applied: AppliedRules = { built: {}, issues: [], warnings: [], missing: [] }
  for (const rule of rules) {
    const outcome = runRule(rule, record)
    const at = (issues: readonly TransformIssue[]) =>
      issues.map((issue) => ({ ...issue, path: [...rule.target, ...issue.path] }))
    applied.warnings.push(...at(outcome.warnings))
    if (!outcome.ok) applied.issues.push(...at(outcome.issues))
    else if (outcome.missing) applied.missing.push(rule.target)
    else writePath(applied.built, rule.target, outcome.value)
  }
  return applied
}

type RuleOutcome =
  | { ok: true; missing: boolean; value: unknown; warnings: readonly TransformIssue[] }
  | { ok: false; issues: readonly TransformIssue[]; warnings: readonly TransformIssue[] }

function runRule(rule: FieldRule, record: unknown): RuleOutcome {
  const warnings: TransformIssue[] = []
  const first = readSource(rule.source, record)
  if (!first.ok) return { ok: false, issues: first.issues, warnings }
  let value = first.value
  if (isMissing(value)) return { ok: true, missing: true, value, warnings }
  for (const step of rule.steps) {
    const result = runStep(step, value)
    warnings.push(...(result.warnings ?? []))
    if (!result.ok) return { ok: false, issues: result.issues, warnings }
    value = result.value
    // A converter's `null` is a known absence (e.g. SAP's open end), kept as a value; "" or undefined is missing.
    if (value === null) break
    if (isMissing(value)) return { ok: true, missing: true, value, warnings }
  }
  return { ok: true, missing: false, value, warnings }
}

function readSource(source: FieldSource<never>, record: unknown): TransformResult<unknown> {
  if (typeof source === 'string') return { ok: true, value: readPath(record, source) }
  const compute = source as (record: unknown) => unknown
  return guarded(compute.name || 'computed field', () => ({ ok: true, value: compute(record) }))
}

function runStep(step: FieldStep, value: unknown): TransformResult<unknown> {
  if (typeof step === 'function')
    return guarded(step.name || 'step', () => ({ ok: true, value: step(value) }))
  const transformer: Transformer<unknown, unknown> = step
  return guarded(transformer.name, () => transformer.transform(value))
}

/**
 * The rules of the way back: a path field whose steps all have an inverse is read from its target and
 * written to its source path, through the inverses in reverse order. Computed fields and plain-function
 * steps have no inverse; declare those in `inverse.fields`.
 */
export function invertRules(rules: readonly FieldRule[]): FieldRule[] {
  const inverted: FieldRule[] = []
  for (const rule of rules) {
    if (typeof rule.source !== 'string') continue
    const back: FieldStep[] = []
    for (const step of [...rule.steps].reverse()) {
      if (typeof step === 'function' || !step.inverse) break
      back.push(step.inverse)
    }
    if (back.length !== rule.steps.length) continue
    inverted.push({ target: rule.source.split('.'), source: rule.target.join('.'), steps: back })
  }
  return inverted
}
