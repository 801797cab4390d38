import { z } from 'zod'

const FAULT_KINDS = [
  'http-503',
  'rate-limit',
  'reset-mid-body',
  'truncated-json',
  'slow-headers',
  'html-200',
] as const

/**
 * A named misbehaviour:
 * - `http-503`: 503 Service Unavailable (with `Retry-After` when `retryAfter` is given);
 * - `rate-limit`: 429 Too Many Requests with `Retry-After` (`retryAfter`, default 1 second);
 * - `reset-mid-body`: the real response's status, headers and first half of its body, then the
 *   connection drops;
 * - `truncated-json`: the real response's body cut in half, status 200, framing intact (not parseable);
 * - `slow-headers`: nothing at all for `delayMs` (default: until the client gives up), then the real
 *   response; longer than a client's headers timeout, it fires that timeout;
 * - `html-200`: an HTML maintenance page with status 200 and `content-type: text/html`.
 */
export type FaultKind = (typeof FAULT_KINDS)[number]

/** Which requests a fault applies to; every field given must match. */
export interface FaultMatch {
  /** HTTP method, case-insensitive. */
  method?: string | undefined
  /** URL pathname: a string where `*` matches any run of characters, or a RegExp. */
  path?: string | RegExp | undefined
}

/** One misbehaviour to inject; give a `kind`, a `status`, a `delayMs`, or a mix. */
export interface Fault {
  /** Which requests it applies to; all when omitted. */
  match?: FaultMatch | undefined
  /** How many matching requests `next()` applies it to (default 1); `always()` ignores it. */
  times?: number | undefined
  /** Added latency in milliseconds before anything else; on its own, the real handler answers after it. */
  delayMs?: number | undefined
  /** Answer with this status instead of the real handler (with `rate-limit`, `http-503` or `html-200`: theirs). */
  status?: number | undefined
  /** `Retry-After`: delay in seconds, or an HTTP-date. */
  retryAfter?: number | string | undefined
  /** Extra response headers for a `status`, `rate-limit`, `http-503` or `html-200` answer. */
  headers?: Readonly<Record<string, string>> | undefined
  /** Body for a `status`, `rate-limit` or `http-503` answer: a string as is, anything else as JSON. */
  body?: unknown
  kind?: FaultKind | undefined
}

const REAL_RESPONSE_KINDS: readonly FaultKind[] = ['reset-mid-body', 'truncated-json', 'slow-headers']

/** The schema `next()` and `always()` check a fault against. */
export const faultSchema = z
  .strictObject({
    match: z
      .strictObject({
        method: z.string().min(1).optional(),
        path: z.union([z.string().min(1), z.instanceof(RegExp)]).optional(),
      })
      .optional(),
    times: z.number().int().positive().optional(),
    delayMs: z.number().int().nonnegative().max(2_147_483_647).optional(),
    status: z.number().int().min(200).max(599).optional(),
    retryAfter: z.union([z.number().nonnegative(), z.string().min(1)]).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
    kind: z.enum(FAULT_KINDS).optional(),
  })
  .refine((fault) => fault.kind !== undefined || fault.status !== undefined || fault.delayMs !== undefined, {
    message: 'a fault needs a kind, a status or a delayMs',
  })
  .refine(
    (fault) =>
      fault.status === undefined || fault.kind === undefined || !REAL_RESPONSE_KINDS.includes(fault.kind),
    { message: 'status cannot be combined with this kind', path: ['status'] },
  )

/** Whether `kind` reshapes the real handler's response, and so needs the handlers behind the injector. */
export function needsRealResponse(kind: FaultKind | undefined): boolean {
  return kind === 'reset-mid-body' || kind === 'truncated-json'
}

/** A predicate over method and pathname compiled from a {@link FaultMatch}. */
export function compileMatch(match: FaultMatch | undefined): (method: string, pathname: string) => boolean {
  const method = match?.method?.toUpperCase()
  const path = match?.path
  const pattern =
    path === undefined
      ? undefined
      : path instanceof RegExp
        ? new RegExp(path.source, path.flags.replace(/[gy]/g, ''))
        : new RegExp(`^${path.split('*').map(escapeRegExp).join('.*')}$`)
  return (requestMethod, pathname) =>
    (method === undefined || requestMethod.toUpperCase() === method) &&
    (pattern === undefined || pattern.test(pathname))
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
