import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { auditEventSchema } from './audit-event.js'
import { auditLogFiles } from './audit-log-files.js'
import { canonicalJson } from './canonical-json.js'
import { type ChainKey, chainHash, GENESIS_HASH } from './hash-chain.js'

/** Why a line failed verification. */
export type AuditLogFailureReason =
  /** The line is not a JSON object (edited, torn by a crash, or truncated). */
  | 'bad-json'
  /** `seq`, `prev` or `hash` is missing or malformed, or the event fields fail the audit schema. */
  | 'schema'
  /** The line's content does not hash to its `hash`: it was edited. */
  | 'hash-mismatch'
  /** The line's `prev` or `seq` does not follow the line before: a line was removed, inserted or moved. */
  | 'chain-break'
  /** A file of the log does not exist or cannot be read. */
  | 'missing'
  /** The log ends before the `head` it was expected to reach: lines were cut from its end. */
  | 'truncated'

/** The first line that failed verification. */
export interface AuditLogFailure {
  readonly file: string
  /** 1-based line number within `file`. */
  readonly line: number
  readonly reason: AuditLogFailureReason
  readonly message: string
}

/** What `verifyAuditLog` found: every line good, or the first broken one. */
export type AuditLogVerification =
  | { readonly ok: true; readonly lines: number; readonly files: readonly string[]; readonly head: string }
  | {
      readonly ok: false
      readonly lines: number
      readonly files: readonly string[]
      readonly failure: AuditLogFailure
    }

/** Options for `verifyAuditLog`. */
export interface VerifyAuditLogOptions {
  /** The chain key the log was written with, if any. */
  key?: ChainKey
  /**
   * The `prev` the first line must carry: `GENESIS_HASH` by default; the last hash of the file before
   * when verifying a later part of a log whose older files were archived; `null` to accept any.
   */
  anchor?: string | null
  /** The last hash the log must reach (e.g. from `sink.head()`, kept elsewhere): catches lines cut from the end. */
  head?: string
}

const HEX_64 = /^[0-9a-f]{64}$/

/**
 * Checks a hash-chained audit log line by line and names the first broken line. Given the active
 * file's path it walks the rotated files too (`auditLogFiles`); given a list it checks those files, in
 * that order, as one chain. Lines removed from the very end are only caught with `options.head`.
 */
export async function verifyAuditLog(
  path: string | readonly string[],
  options: VerifyAuditLogOptions = {},
): Promise<AuditLogVerification> {
  const files = typeof path === 'string' ? await auditLogFiles(path) : [...path]
  let prev: string | null = options.anchor === undefined ? GENESIS_HASH : options.anchor
  let seq: number | undefined
  let lines = 0
  let last: { file: string; line: number } | undefined
  const fail = (file: string, line: number, reason: AuditLogFailureReason, message: string) =>
    ({ ok: false, lines, files, failure: { file, line, reason, message } }) as const

  if (files.length === 0 && typeof path === 'string') {
    return fail(path, 0, 'missing', 'the log does not exist')
  }
  for (const file of files) {
    let number = 0
    const reader = createInterface({
      input: createReadStream(file, 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    })
    try {
      for await (const text of reader) {
        number++
        const checked = checkLine(text, prev, seq, options.key)
        if (!checked.ok) return fail(file, number, checked.reason, checked.message)
        prev = checked.hash
        seq = checked.seq
        lines++
        last = { file, line: number }
      }
    } catch (error) {
      return fail(
        file,
        number,
        'missing',
        `cannot read the file (${String((error as { code?: unknown }).code ?? 'error')})`,
      )
    } finally {
      reader.close()
    }
  }
  if (options.head !== undefined && prev !== options.head) {
    const at = last ?? { file: files.at(-1) ?? String(path), line: 0 }
    return fail(
      at.file,
      at.line + 1,
      'truncated',
      `the log ends at seq ${seq ?? 0}, not at the expected head`,
    )
  }
  return { ok: true, lines, files, head: prev ?? GENESIS_HASH }
}

type LineCheck =
  | { ok: true; hash: string; seq: number }
  | { ok: false; reason: AuditLogFailureReason; message: string }

function checkLine(text: string, prev: string | null, seq: number | undefined, key?: ChainKey): LineCheck {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'bad-json', message: 'the line is not valid JSON' }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'bad-json', message: 'the line is not a JSON object' }
  }
  const { hash, ...body } = parsed as Record<string, unknown>
  const { seq: lineSeq, prev: linePrev, ...event } = body
  if (typeof hash !== 'string' || !HEX_64.test(hash)) {
    return { ok: false, reason: 'schema', message: '`hash` is missing or not 64 hex digits' }
  }
  if (typeof linePrev !== 'string' || !HEX_64.test(linePrev)) {
    return { ok: false, reason: 'schema', message: '`prev` is missing or not 64 hex digits' }
  }
  if (typeof lineSeq !== 'number' || !Number.isSafeInteger(lineSeq) || lineSeq < 1) {
    return { ok: false, reason: 'schema', message: '`seq` is missing or not a positive integer' }
  }
  const schema = auditEventSchema.safeParse(event)
  if (!schema.success) {
    const issue = schema.error.issues[0]
    return {
      ok: false,
      reason: 'schema',
      message: `not an audit event: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    }
  }
  if (chainHash(canonicalJson(body), key) !== hash) {
    return {
      ok: false,
      reason: 'hash-mismatch',
      message: `seq ${lineSeq}: the content does not match its hash`,
    }
  }
  if (prev !== null && linePrev !== prev) {
    return {
      ok: false,
      reason: 'chain-break',
      message: `seq ${lineSeq}: \`prev\` is not the hash of the line before`,
    }
  }
  if (seq !== undefined && lineSeq !== seq + 1) {
    return { ok: false, reason: 'chain-break', message: `seq ${lineSeq} follows seq ${seq}` }
  }
  return { ok: true, hash, seq: lineSeq }
}
