import { type FileHandle, mkdir, open, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { JunctionError } from '../errors/junction-error.js'

/**
 * When appended data is forced to disk: after every write (`always`), by a timer (`interval`: at most
 * `intervalMs` after a write), or only on `flush()` and `close()` (`on-flush`).
 */
export type FsyncPolicy = 'always' | 'interval' | 'on-flush'

interface Pending {
  /** Text to append; empty for a flush, which only waits for the data before it and syncs. */
  readonly text: string
  readonly sync: boolean
  /** Set on a rotation: after what came before is synced, the file is closed and renamed here. */
  readonly rotateTo?: string
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
  readonly #intervalMs: number
  readonly #queue: Pending[] = []
  #draining = false
  #handle: FileHandle | undefined
  #unsynced = false
  #timer: NodeJS.Timeout | undefined
  #closing: Promise<void> | undefined

  readonly #onFailure: (() => void) | undefined

  /** `onFailure` runs synchronously when a write fails, before any caller hears of it. */
  constructor(
    path: string,
    fsync: FsyncPolicy,
    options: { intervalMs?: number; onFailure?: () => void } = {},
  ) {
    this.#path = path
    this.#fsync = fsync
    this.#intervalMs = options.intervalMs ?? 1_000
    this.#onFailure = options.onFailure
  }

  /** Appends `text`; resolves once it is written (and fsynced, under `always`). */
  append(text: string): Promise<void> {
    if (this.#closing) return Promise.reject(this.#closedError())
    const written = this.#enqueue({ text, sync: this.#fsync === 'always' })
    if (this.#fsync === 'interval') this.#scheduleSync()
    return written
  }

  /** Resolves when everything appended before it is written and fsynced. */
  flush(): Promise<void> {
    if (this.#closing) return this.#closing
    return this.#enqueue({ text: '', sync: true })
  }

  /**
   * After everything appended before it is written and fsynced, closes the file and renames it to
   * `to`; the next append starts a new file at the original path.
   */
  rotate(to: string): Promise<void> {
    if (this.#closing) return Promise.reject(this.#closedError())
    return this.#enqueue({ text: '', sync: true, rotateTo: to })
  }

  /** Flushes, then closes the file; later appends reject with `AUDIT_CLOSED`. Idempotent. */
  close(): Promise<void> {
    clearTimeout(this.#timer)
    this.#closing ??= this.#enqueue({ text: '', sync: true }).finally(async () => {
      const handle = this.#handle
      this.#handle = undefined
      await handle?.close()
    })
    return this.#closing
  }

  #scheduleSync(): void {
    if (this.#timer !== undefined) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      // A failed timed sync surfaces on the next write or flush, which retry it.
      this.#enqueue({ text: '', sync: true }).catch(() => undefined)
    }, this.#intervalMs)
    // A pending sync must not keep the process alive; exit paths call flush() or close().
    this.#timer.unref()
  }

  #enqueue(item: Omit<Pending, 'resolve' | 'reject'>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ ...item, resolve, reject })
      if (!this.#draining) void this.#drain()
    })
  }

  async #drain(): Promise<void> {
    this.#draining = true
    while (this.#queue.length > 0) {
      // Everything up to (and including) the next rotation goes out as one write and one fsync.
      const end = this.#queue.findIndex((pending) => pending.rotateTo !== undefined)
      const batch = this.#queue.splice(0, end === -1 ? this.#queue.length : end + 1)
      const rotation = batch.at(-1)?.rotateTo === undefined ? undefined : batch.pop()
      try {
        await this.#write(
          batch.map((pending) => pending.text).join(''),
          batch.some((pending) => pending.sync) || rotation !== undefined,
        )
        for (const pending of batch) pending.resolve()
      } catch (error) {
        // Fail-stop: what was queued behind the failed write was built on it (a hash chain links each
        // line to the one before), so it fails too and the writer rebuilds from what is on disk.
        const failed = [...batch, ...(rotation ? [rotation] : []), ...this.#queue.splice(0)]
        this.#onFailure?.()
        const failure = new JunctionError({
          code: 'AUDIT_WRITE_FAILED',
          message: `audit file ${this.#path}: write failed`,
          retryable: true,
          cause: error,
        })
        for (const pending of failed) pending.reject(failure)
        continue
      }
      if (rotation?.rotateTo !== undefined) {
        // A failed rename loses nothing: the lines are written and the next ones go to the same file.
        await this.#rotate(rotation.rotateTo).then(rotation.resolve, rotation.reject)
      }
    }
    this.#draining = false
  }

  async #rotate(to: string): Promise<void> {
    const handle = this.#handle
    this.#handle = undefined
    await handle?.close()
    await rename(this.#path, to)
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
