import { open } from 'node:fs/promises'
import { isMissing } from './audit-log-files.js'
import { type ChainHead, GENESIS_HEAD } from './hash-chain.js'

const CHUNK = 64 * 1024
const NEWLINE = 0x0a
const HEX_64 = /^[0-9a-f]{64}$/

/** What a log file holds at its end: the head of its chain, its size and when it was last written. */
export interface LogFileTail {
  readonly head: ChainHead
  readonly size: number
  readonly modified: Date
}

/**
 * Reads `path` backwards to its last complete, chained line (a torn last line left by a crash is
 * passed over: verify reports it, and new lines chain from the last good one). `undefined` when the
 * file does not exist; the genesis head when it holds no chained line.
 */
export async function readLogFileTail(path: string): Promise<LogFileTail | undefined> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if (isMissing(error)) return undefined
    throw error
  }
  try {
    const { size, mtime } = await handle.stat()
    let end = size
    let carry = Buffer.alloc(0)
    while (end > 0) {
      const start = Math.max(0, end - CHUNK)
      const chunk = Buffer.alloc(end - start)
      await handle.read(chunk, 0, chunk.length, start)
      carry = Buffer.concat([chunk, carry])
      end = start
      // Unless the read reached the file's start, the bytes before the first newline may be the end
      // of a longer line; they wait for the next chunk (split on bytes, so no character is cut).
      const newline = end === 0 ? -1 : carry.indexOf(NEWLINE)
      if (end > 0 && newline === -1) continue
      const lines = carry
        .subarray(newline + 1)
        .toString('utf8')
        .split('\n')
      for (let index = lines.length - 1; index >= 0; index--) {
        const head = chainHeadOf(lines[index] ?? '')
        if (head) return { head, size, modified: mtime }
      }
      carry = carry.subarray(0, Math.max(newline, 0))
    }
    return { head: GENESIS_HEAD, size, modified: mtime }
  } finally {
    await handle.close()
  }
}

function chainHeadOf(line: string): ChainHead | undefined {
  if (line.trim() === '') return undefined
  try {
    const parsed = JSON.parse(line) as { seq?: unknown; hash?: unknown }
    if (Number.isSafeInteger(parsed.seq) && typeof parsed.hash === 'string' && HEX_64.test(parsed.hash)) {
      return { seq: parsed.seq as number, hash: parsed.hash }
    }
  } catch {
    // A torn or foreign line: keep looking further back.
  }
  return undefined
}
