import { readdir } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'

const SEQ_DIGITS = 12

const parts = (path: string) => {
  const ext = extname(path)
  return { dir: dirname(path), stem: basename(path, ext), ext }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The name a full log file is rotated to: `<stem>.<UTC day of its last write>.<seq of its last
 * line, 12 digits><ext>`, e.g. `audit.2026-11-24.000000001042.jsonl` beside `audit.jsonl`.
 */
export function rotatedLogPath(path: string, day: string, lastSeq: number): string {
  const { dir, stem, ext } = parts(path)
  return join(dir, `${stem}.${day}.${String(lastSeq).padStart(SEQ_DIGITS, '0')}${ext}`)
}

/**
 * Every file of the log whose active file is `path`, oldest first: the rotated files in chain
 * order, then `path` itself when it exists. Pass the result to `verifyAuditLog` to walk them all.
 */
export async function auditLogFiles(path: string): Promise<string[]> {
  const { dir, stem, ext } = parts(path)
  const pattern = new RegExp(
    `^${escapeRegExp(stem)}\\.\\d{4}-\\d{2}-\\d{2}\\.(\\d{${SEQ_DIGITS}})${escapeRegExp(ext)}$`,
  )
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (error) {
    if (isMissing(error)) return []
    throw error
  }
  const rotated = names
    .flatMap((name) => {
      const seq = pattern.exec(name)?.[1]
      return seq === undefined ? [] : [{ name, seq: Number(seq) }]
    })
    .sort((a, b) => a.seq - b.seq)
    .map(({ name }) => join(dir, name))
  return names.includes(basename(path)) ? [...rotated, path] : rotated
}

/** True for the errors that mean "there is no such file (or directory on its path)". */
export const isMissing = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  ['ENOENT', 'ENOTDIR'].includes(String((error as { code?: unknown }).code))
