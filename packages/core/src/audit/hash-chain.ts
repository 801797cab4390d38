import { createHash, createHmac } from 'node:crypto'
import { canonicalJson } from './canonical-json.js'

/** The `prev` of the first line of a log: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64)

/** A key that turns the chain's SHA-256 into HMAC-SHA-256, so only its holder can rebuild a valid chain. */
export type ChainKey = string | Buffer

/** Where a chain stands: the last line's sequence number and hash. */
export interface ChainHead {
  readonly seq: number
  readonly hash: string
}

/** The head of an empty log. */
export const GENESIS_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH }

/** A chain hash: lowercase hex SHA-256 (or HMAC-SHA-256 under `key`) of `body`'s UTF-8 bytes. */
export function chainHash(body: string, key?: ChainKey): string {
  const digest = key === undefined ? createHash('sha256') : createHmac('sha256', key)
  return digest.update(body, 'utf8').digest('hex')
}

/**
 * One log line for `record` (an event's fields) after `head`. The line is the record plus `seq`
 * (head.seq + 1), `prev` (head.hash) and `hash`, where `hash` is `chainHash` of the canonical JSON
 * of the line without its `hash` member. Throws a TypeError when the record has no JSON form.
 */
export function chainLine(
  record: Record<string, unknown>,
  head: ChainHead,
  key?: ChainKey,
): { line: string; head: ChainHead } {
  const seq = head.seq + 1
  const body = canonicalJson({ ...record, seq, prev: head.hash })
  const hash = chainHash(body, key)
  // The hash joins the canonical body as its last member: still one JSON object, and verify
  // recomputes the body by removing it and canonicalizing again.
  return { line: `${body.slice(0, -1)},"hash":"${hash}"}\n`, head: { seq, hash } }
}
