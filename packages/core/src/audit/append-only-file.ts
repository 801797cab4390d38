import { type FileHandle, mkdir, open } from 'node:fs/promises'
import { dirname } from 'node:path'
import { JunctionError } from '../errors/junction-error.js'

/** When appended data is forced to disk: after every write, or only on `flush()` and `close()`. */
export type FsyncPolicy = 'always' | 'on-flush'

interface Pending {
  /** Text to append; empty for a flush, which only waits for the data before it and syncs. */
  readonly text: string
  readonly sync: boolean
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

const NEWLINE = 0x0a

/**
 * A file that only grows. Appends go through one queue, in call order, so concurrent writers never
 * interleave; whatever has queued up while a write is in flight goes out as one write (and one fsync).
 */
export class AppendOnlyFile {
  readonly #path: string
  readonly #fsync: FsyncPolicy
  readonly #queue: Pending[] = []
  #draining = false
  #handle: FileHandle | undefined
  #unsynced = false
  #closing: Promise<void> | undefined

  constructor(path: string, fsync: FsyncPolicy) {
    this.#path = path
    this.#fsync = fsync
  }

  /** Appends `text`; resolves once it is written (and fsynced, under `always`). */
  append(text: string): Promise<void> {
    if (this.#closing) return Promise.reject(this.#closedError())
    return this.#enqueue(text, this.#fsync === 'always')
  }

  /** Resolves when everything appended before it is written and fsynced. */
  flush(): Promise<void> {
    if (this.#closing) return this.#closing
    return this.#enqueue('', true)
  }

  /** Flushes, then closes the file; later appends reject with `AUDIT_CLOSED`. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#enqueue('', true).finally(async () => {
      const handle = this.#handle
      this.#handle = undefined
      await handle?.close()
    })
    return this.#closing
  }

  #enqueue(text: string, sync: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ text, sync, resolve, reject })
      if (!this.#draining) void this.#drain()
    })
  }

  async #drain(): Promise<void> {
    this.#draining = true
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0)
      try {
        await this.#write(
          batch.map((pending) => pending.text).join(''),
          batch.some((pending) => pending.sync),
        )
        for (const pending of batch) pending.resolve()
      } catch (error) {
        const failure = new JunctionError({
          code: 'AUDIT_WRITE_FAILED',
          message: `audit file ${this.#path}: write failed`,
          cause: error,
        })
        for (const pending of batch) pending.reject(failure)
      }
    }
    this.#draining = false
  }

  async #write(text: string, sync: boolean): Promise<void> {
    if (text === '' && this.#handle === undefined) return
    const handle = await this.#open()
    try {
      if (text !== '') {
        this.#unsynced = true
        await handle.appendFile(text, 'utf8')
      }
      if (sync && this.#unsynced) {
        await handle.sync()
        this.#unsynced = false
      }
    } catch (error) {
      // Reopen next time: the reopen check repairs a line this failure may have left half-written.
      this.#handle = undefined
      await handle.close().catch(() => undefined)
      throw error
    }
  }

  async #open(): Promise<FileHandle> {
    if (this.#handle) return this.#handle
    await mkdir(dirname(this.#path), { recursive: true })
    // 0o600: audit trails hold operational detail that other local users have no business reading.
    const handle = await open(this.#path, 'a+', 0o600)
    try {
      await this.#endWithNewline(handle)
    } catch (error) {
      await handle.close()
      throw error
    }
    this.#handle = handle
    return handle
  }

  // A crash can leave a last line without its newline; start on a fresh line so ours still parse.
  async #endWithNewline(handle: FileHandle): Promise<void> {
    const { size } = await handle.stat()
    if (size === 0) return
    const last = Buffer.alloc(1)
    await handle.read(last, 0, 1, size - 1)
    if (last[0] !== NEWLINE) {
      await handle.appendFile('\n', 'utf8')
      this.#unsynced = true
    }
  }

  #closedError(): JunctionError {
    return new JunctionError({
      code: 'AUDIT_CLOSED',
      message: `audit file ${this.#path}: the sink is closed`,
    })
  }
}
