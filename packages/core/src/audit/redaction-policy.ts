import { createHmac } from 'node:crypto'
import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { Redactor } from '../redaction/redactor.js'
import { canonicalJson } from './canonical-json.js'

/** Options for `redactionPolicy`. Paths are dot-separated into objects and arrays, see `redactionPolicy`. */
export interface RedactionPolicyOptions {
  /** Fields removed from the snapshot. */
  drop?: readonly string[]
  /** Fields replaced by `*` except their last `keepLast` characters. */
  mask?: readonly string[]
  /** Fields replaced by `hmac-sha256:<hex>` under `hashKey`: linkable across events, not reversible. */
  hash?: readonly string[]
  /** The per-deployment secret for `hash` (at least 16 characters or bytes); required when `hash` is given. */
  hashKey?: string | Buffer
  /** How many trailing characters `mask` keeps (default 4). */
  keepLast?: number
  /** Scrubs secrets after the policy (secret-named keys, registered secrets, bearer tokens); a default one otherwise. */
  redactor?: Redactor
}

/** A redaction policy for audit snapshots. */
export interface RedactionPolicy {
  /** A redacted deep copy of `value`. */
  value(value: unknown): unknown
  /** A copy of `event` with its `input` and `output` redacted. */
  event<E extends { input?: unknown; output?: unknown }>(event: E): E
}

const PATH = /^[^.[\]]+(\.[^.[\]]+)*$/

const pathSchema = z
  .string()
  .transform((path) => path.replace(/\[(\*|)\]/g, '.*').replace(/\[(\d+)\]/g, '.$1'))
  .refine(
    (path) => PATH.test(path),
    'a path is dot-separated names, indexes, `*` or `[]`, e.g. `lines[].card.number`',
  )

const optionsSchema = z
  .object({
    drop: z.array(pathSchema).default([]),
    mask: z.array(pathSchema).default([]),
    hash: z.array(pathSchema).default([]),
    hashKey: z
      .union([
        z.string().min(16),
        z.instanceof(Buffer).refine((key) => key.length >= 16, 'at least 16 bytes'),
      ])
      .optional(),
    keepLast: z.number().int().nonnegative().default(4),
    redactor: z.instanceof(Redactor).optional(),
  })
  .refine((options) => options.hash.length === 0 || options.hashKey !== undefined, {
    message: 'required when `hash` names fields',
    path: ['hashKey'],
  })

type Container = Record<string, unknown> | unknown[]
type Rewrite = (container: Container, key: string) => void

const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null

/**
 * A policy that redacts audit snapshots before they are written: `drop`, `mask` and `hash` name fields
 * by path (`customer.email`, `lines[].card.number`, `lines.*.sku`, `contacts[0].phone`; a name applied
 * to an array applies to each element), then the `redactor` scrubs secrets everywhere. Absent fields
 * are ignored. The input is never modified.
 */
export function redactionPolicy(options: RedactionPolicyOptions): RedactionPolicy {
  const parsed = parseOptions(optionsSchema, options, 'redactionPolicy')
  const redactor = parsed.redactor ?? new Redactor()
  const { hashKey, keepLast } = parsed

  const mask = (value: unknown): unknown => {
    if (value === null || value === undefined) return value
    if (isContainer(value)) return '[MASKED]'
    const text = String(value)
    // A value no longer than twice what would be kept is masked whole: the tail would give most of it away.
    const keep = text.length > keepLast * 2 ? keepLast : 0
    return '*'.repeat(text.length - keep) + text.slice(text.length - keep)
  }
  const hash = (value: unknown): unknown =>
    value === undefined || hashKey === undefined
      ? value
      : `hmac-sha256:${createHmac('sha256', hashKey).update(canonicalJson(value), 'utf8').digest('hex')}`

  const rules: Array<[string[], Rewrite]> = [
    ...parsed.drop.map((path): [string[], Rewrite] => [path.split('.'), remove]),
    ...parsed.hash.map((path): [string[], Rewrite] => [path.split('.'), replaceWith(hash)]),
    ...parsed.mask.map((path): [string[], Rewrite] => [path.split('.'), replaceWith(mask)]),
  ]

  const value = (input: unknown): unknown => {
    // The copy comes first: the redactor's deep copy is what the rules then rewrite in place.
    const copy = redactor.value(input)
    for (const [segments, rewrite] of rules) visit(copy, segments, rewrite)
    return copy
  }

  return {
    value,
    event(event) {
      const copy = { ...event }
      if (event.input !== undefined) copy.input = value(event.input)
      if (event.output !== undefined) copy.output = value(event.output)
      return copy
    },
  }
}

function visit(node: unknown, segments: readonly string[], rewrite: Rewrite): void {
  const [head, ...rest] = segments
  if (head === undefined || !isContainer(node)) return
  if (Array.isArray(node) && head !== '*' && !/^\d+$/.test(head)) {
    for (const item of node) visit(item, segments, rewrite)
    return
  }
  const keys = head === '*' ? Object.keys(node) : Object.hasOwn(node, head) ? [head] : []
  // Backwards, so removing an array element does not shift the ones still to visit.
  for (const key of keys.reverse()) {
    if (rest.length === 0) rewrite(node, key)
    else visit((node as Record<string, unknown>)[key], rest, rewrite)
  }
}

function remove(container: Container, key: string): void {
  if (Array.isArray(container)) container.splice(Number(key), 1)
  else delete container[key]
}

const replaceWith =
  (change: (value: unknown) => unknown): Rewrite =>
  (container, key) => {
    const record = container as Record<string, unknown>
    record[key] = change(record[key])
  }
