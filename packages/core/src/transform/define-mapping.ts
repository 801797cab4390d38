import type { z } from 'zod'
import { guarded } from './converter.js'
import { applyRules, compileRules, type FieldRule, invertRules } from './field-rules.js'
import type { FieldRule as FieldRuleSpec, FieldSpecs } from './field-spec.js'
import { isRecordLike } from './record-path.js'
import { validate } from './schema-issues.js'
import type { Transformer, TransformIssue, TransformResult } from './transformer.js'

/** The record type computed fields see: the `from` schema's output, or any record. */
export type SourceRecord<From> = From extends z.ZodType ? z.output<From> : Record<string, unknown>

/** The declared way back (canonical → system, for write-back). */
export interface InverseSpec<Canonical, Back extends z.ZodType | undefined = z.ZodType | undefined> {
  name?: string
  /** Checks the system record built for write-back; without it the record is returned as built. */
  to?: Back
  /**
   * Fields of the system record keyed by their (dot) path, for what cannot be derived: computed fields and
   * fields with a step that has no inverse. Path fields whose converters all have inverses come for free.
   */
  fields?: Record<string, FieldRuleSpec<Canonical>>
}

/** A declarative mapping: source record → target schema, field by field. */
export interface MappingSpec<
  From extends z.ZodType | undefined,
  To extends z.ZodType,
  Inverse extends InverseSpec<z.output<To>> | undefined,
> {
  /** Names the mapping in issues and compositions, e.g. `salesforce.Contact→Contact`. */
  name?: string
  /**
   * Validates (and types) the source record first; its issues carry source paths. zod objects drop unknown
   * keys, so use `z.looseObject` when fields read keys the schema does not list.
   */
  from?: From
  /** The target schema: the built record must pass it, and zod issues become transform issues. */
  to: To
  fields: FieldSpecs<SourceRecord<From>, z.input<To>>
  /** Declares the inverse; `{}` derives it from the path fields. It writes only fields that have a value. */
  inverse?: Inverse
}

/** The system record type the inverse produces. */
export type InverseRecord<Inverse> = Inverse extends { to: infer Back extends z.ZodType }
  ? z.output<Back>
  : Record<string, unknown>

/** A mapping: a total transformer (any input, a value or issues), with the target paths it fills. */
export interface Mapping<Out, Back = unknown> extends Transformer<unknown, Out> {
  readonly inverse?: Transformer<Out, Back> | undefined
  /** The target fields this mapping fills, as dot paths, e.g. `['email', 'address.postcode']`. */
  readonly fields: readonly string[]
}

/** A mapping with a declared inverse. */
export type InvertibleMapping<Out, Back> = Mapping<Out, Back> & { readonly inverse: Mapping<Back, Out> }

/**
 * Declares how a system record becomes a canonical one. A field is a source path, a function of the
 * record, `[source, ...steps]`, or nested fields for an object. Per record the result is the value or
 * every issue found (all fields are tried); a field with no value is a `missing` warning, or an issue
 * when the target schema requires it. Nothing throws on bad data: converters that throw become issues.
 *
 * @example
 * const contactFromSalesforce = defineMapping({
 *   name: 'salesforce.Contact→Contact',
 *   to: contactSchema,
 *   fields: {
 *     sourceIds: { salesforce: ['Id', convert.salesforceId] },
 *     email: ['Email', convert.email],
 *     name: (r) => [r.FirstName, r.LastName].filter(Boolean).join(' '),
 *     address: { postcode: ['MailingAddress.PostalCode', convert.trim] },
 *   },
 *   inverse: { fields: { LastName: (c) => c.lastName } },
 * })
 */
export function defineMapping<
  To extends z.ZodType,
  From extends z.ZodType | undefined = undefined,
  Inverse extends InverseSpec<z.output<To>> | undefined = undefined,
>(
  spec: MappingSpec<From, To, Inverse>,
): Inverse extends object
  ? InvertibleMapping<z.output<To>, InverseRecord<Inverse>>
  : Mapping<z.output<To>, InverseRecord<Inverse>> {
  const name = spec.name ?? 'mapping'
  const rules = compileRules(spec.fields)
  const from: z.ZodType | undefined = spec.from
  const mapping: Mapping<z.output<To>, InverseRecord<Inverse>> = {
    name,
    fields: rules.map((rule) => rule.target.join('.')),
    transform: (input) =>
      guarded(name, () => mapRecord(rules, spec.to as z.ZodType<z.output<To>>, from, input)),
  }
  if (!spec.inverse) return mapping as never
  const inverseSpec = spec.inverse
  const backRules = mergeRules(invertRules(rules), compileRules(inverseSpec.fields ?? {}).map(splitTarget))
  const backSchema = inverseSpec.to as z.ZodType<InverseRecord<Inverse>> | undefined
  const backName = inverseSpec.name ?? `${name}⁻¹`
  const inverse: Mapping<InverseRecord<Inverse>, z.output<To>> = {
    name: backName,
    fields: backRules.map((rule) => rule.target.join('.')),
    inverse: mapping,
    transform: (input) => guarded(backName, () => mapBack(backRules, backSchema, input)),
  }
  return { ...mapping, inverse } as never
}

function mapRecord<T>(
  rules: readonly FieldRule[],
  to: z.ZodType<T>,
  from: z.ZodType | undefined,
  input: unknown,
): TransformResult<T> {
  let record: unknown = input
  if (from) {
    const source = validate(from, input)
    if (!source.ok) return source
    record = source.value
  } else if (!isRecordLike(input)) {
    return {
      ok: false,
      issues: [{ path: [], code: 'invalid_type', message: 'expected a record (an object)' }],
    }
  }
  const applied = applyRules(rules, record)
  const checked = validate(to, applied.built)
  const failed = applied.issues.map((issue) => issue.path.join('.'))
  // A field that failed its converter is absent from the built record; zod saying so again is noise.
  const schemaIssues = checked.ok
    ? []
    : checked.issues.filter((issue) => !failed.some((path) => startsWith(issue.path.join('.'), path)))
  const issues = [...applied.issues, ...schemaIssues]
  const reported = new Set(issues.map((issue) => issue.path.join('.')))
  const missing: TransformIssue[] = applied.missing
    .filter((target) => !reported.has(target.join('.')))
    .map((target) => ({ path: target, code: 'missing', message: 'no value' }))
  const warnings = [...applied.warnings, ...missing]
  const extra = warnings.length > 0 ? { warnings } : {}
  if (issues.length > 0 || !checked.ok) return { ok: false, issues, ...extra }
  return { ok: true, value: checked.value, ...extra }
}

function mapBack<T>(
  rules: readonly FieldRule[],
  to: z.ZodType<T> | undefined,
  input: unknown,
): TransformResult<T> {
  if (!isRecordLike(input)) {
    return {
      ok: false,
      issues: [{ path: [], code: 'invalid_type', message: 'expected a record (an object)' }],
    }
  }
  const applied = applyRules(rules, input)
  const warnings = applied.warnings
  const extra = warnings.length > 0 ? { warnings } : {}
  if (applied.issues.length > 0) return { ok: false, issues: applied.issues, ...extra }
  if (!to) return { ok: true, value: applied.built as T, ...extra }
  const checked = validate(to, applied.built)
  return checked.ok
    ? { ok: true, value: checked.value, ...extra }
    : { ok: false, issues: checked.issues, ...extra }
}

function splitTarget(rule: FieldRule): FieldRule {
  return { ...rule, target: rule.target.flatMap((segment) => segment.split('.')) }
}

function mergeRules(derived: readonly FieldRule[], declared: readonly FieldRule[]): FieldRule[] {
  const overridden = new Set(declared.map((rule) => rule.target.join('.')))
  return [...derived.filter((rule) => !overridden.has(rule.target.join('.'))), ...declared]
}

function startsWith(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`)
}
