import { open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AppendOnlyFile } from './append-only-file.js'
import { isMissing } from './audit-log-files.js'

const PREFIX = 'audit-spill-'
const SUFFIX = '.jsonl'
const FIRST_READ = 1024 * 1024
const NEWLINE = 0x0a

interface SpillFile {
  readonly path: string
  /** Bytes already handed on (persisted beside the file, so a restart resumes there). */
  offset: number
  writer: AppendOnlyFile | undefined
  /** Appends made to the file, counted when made: a read compares it to see if the file grew meanwhile. */
  appends: number
}

/** Lines read from the head of the queue; `ack()` them once they are safe elsewhere. */
export interface SpillRead {
  readonly lines: readonly string[]
  /** A line cut short by a crash was passed over (it cannot be recovered). */
  readonly torn: boolean
  ack(): Promise<void>
}

/**
 * A FIFO of text lines on disk, for events a buffer could not hold: appended with fsync, read from
 * the head, acknowledged by byte offset (kept in `<file>.offset`). Files live in `dir` as
 * `audit-spill-<time>-<n>.jsonl`; a file is deleted once read and acknowledged to its end, and files
 * left by a previous process are read first. One queue per directory.
 */
export class SpillQueue {
  readonly #dir: string
  readonly #files: SpillFile[] = []
  readonly #inFlight = new Set<Promise<unknown>>()
  #counter = 0
  #opened: Promise<void> | undefined

  constructor(dir: string) {
    this.#dir = dir
  }

  /** True when nothing waits in the queue (call after `open()`). */
  get empty(): boolean {
    return this.#files.length === 0
  }

  /** Finds the files a previous process left; must resolve before the first `append` or `read`. */
  open(): Promise<void> {
    this.#opened ??= this.#recover()
    return this.#opened
  }

  /** Appends one line (no newline in it); resolves once it is on disk. */
  append(line: string): Promise<void> {
    let file = this.#files.at(-1)
    if (file?.writer === undefined) {
      const name = `${PREFIX}${String(Date.now()).padStart(15, '0')}-${String(this.#counter++).padStart(6, '0')}${SUFFIX}`
      file = { path: join(this.#dir, name), offset: 0, writer: undefined, appends: 0 }
      file.writer = new AppendOnlyFile(file.path, 'always')
      this.#files.push(file)
    }
    file.appends++
    const written = file.writer?.append(`${line}\n`) ?? Promise.resolve()
    const tracked = written.catch(() => undefined).finally(() => this.#inFlight.delete(tracked))
    this.#inFlight.add(tracked)
    return written
  }

  /** Up to `max` complete lines from the head; none when the head's appends are still in flight. */
  async read(max: number): Promise<SpillRead> {
    for (;;) {
      const file = this.#files[0]
      if (file === undefined) return { lines: [], torn: false, ack: async () => undefined }
      const appends = file.appends
      const settled = this.#inFlight.size === 0
      const { lines, end, torn, eof } = await readLines(file.path, file.offset, max, settled)
      if (lines.length > 0 || torn) {
        return { lines, torn, ack: () => this.#ack(file, end, eof) }
      }
      // Only a file read to its end with nothing appended since may go (checked without a pause).
      if (!eof || !settled || this.#inFlight.size > 0 || file.appends !== appends) {
        return { lines: [], torn: false, ack: async () => undefined }
      }
      await this.#remove(file)
    }
  }

  /** Resolves when every append made so far has settled. */
  async settled(): Promise<void> {
    await Promise.all([...this.#inFlight])
  }

  /** Closes the file being appended to. */
  async close(): Promise<void> {
    await this.settled()
    for (const file of this.#files) await file.writer?.close()
  }

  async #ack(file: SpillFile, end: number, eof: boolean): Promise<void> {
    file.offset = end
    if (eof && this.#files.at(-1) !== file) {
      await this.#remove(file)
      return
    }
    const offsetPath = `${file.path}.offset`
    // Write-then-rename: a crash leaves the old offset or the new, never a torn one.
    await writeFile(`${offsetPath}.tmp`, String(end))
    await rename(`${offsetPath}.tmp`, offsetPath)
  }

  async #remove(file: SpillFile): Promise<void> {
    // Out of the list first, synchronously: a later append starts a new file instead of this one.
    this.#files.splice(this.#files.indexOf(file), 1)
    await file.writer?.close()
    await rm(`${file.path}.offset`, { force: true })
    await rm(file.path, { force: true })
  }

  async #recover(): Promise<void> {
    let names: string[]
    try {
      names = await readdir(this.#dir)
    } catch (error) {
      if (isMissing(error)) return
      throw error
    }
    for (const name of names.filter((entry) => entry.startsWith(PREFIX) && entry.endsWith(SUFFIX)).sort()) {
      const path = join(this.#dir, name)
      const offset = Number(await readFile(`${path}.offset`, 'utf8').catch(() => '0'))
      this.#files.push({
        path,
        offset: Number.isSafeInteger(offset) ? offset : 0,
        writer: undefined,
        appends: 0,
      })
    }
  }
}

async function readLines(
  path: string,
  offset: number,
  max: number,
  settled: boolean,
): Promise<{ lines: string[]; end: number; torn: boolean; eof: boolean }> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, 'r')
  } catch (error) {
    // A new file appears with its first append's write, which may still be on its way.
    if (isMissing(error)) return { lines: [], end: offset, torn: false, eof: true }
    throw error
  }
  try {
    const { size } = await handle.stat()
    let length = FIRST_READ
    for (;;) {
      const buffer = Buffer.alloc(Math.min(length, size - offset))
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset)
      const chunk = buffer.subarray(0, bytesRead)
      const lines: string[] = []
      let start = 0
      for (let newline = chunk.indexOf(NEWLINE); newline !== -1 && lines.length < max; ) {
        const line = chunk.subarray(start, newline).toString('utf8')
        if (line !== '') lines.push(line)
        start = newline + 1
        newline = chunk.indexOf(NEWLINE, start)
      }
      const end = offset + start
      if (lines.length > 0 || start > 0) return { lines, end, torn: false, eof: end >= size }
      if (offset + bytesRead >= size) {
        // Bytes with no newline and no append in flight: a line a crash cut short.
        const torn = settled && bytesRead > 0
        return { lines: [], end: torn ? size : offset, torn, eof: true }
      }
      length *= 2
    }
  } finally {
    await handle.close()
  }
}
