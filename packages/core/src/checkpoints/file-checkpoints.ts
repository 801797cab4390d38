import { randomUUID } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { JunctionError } from '../errors/junction-error.js'
import { decodeStoredValue, encodeStoredValue } from '../stores/stored-value.js'
import type { CheckpointStore } from './checkpoint-store.js'
import { checkCheckpoint, checkCheckpointKey } from './checkpoint-value.js'

const DRIVER = 'file'

/** Options for `fileCheckpoints`. */
export interface FileCheckpointsOptions {
  /** The directory holding one JSON file per checkpoint key (created when missing). */
  directory: string
}

const optionsSchema = z.object({ directory: z.string().min(1) })

const closedError = (operation: string) =>
  new JunctionError({
    code: 'STORE_CLOSED',
    message: `file checkpoints ${operation}: the store is closed`,
    system: DRIVER,
    operation,
  })

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'

const failure = (operation: string, error: unknown): JunctionError =>
  error instanceof JunctionError
    ? error
    : new JunctionError({
        code: 'STORE_FAILED',
        message: `file checkpoints ${operation}: ${(error as NodeJS.ErrnoException).code ?? 'failed'}`,
        system: DRIVER,
        operation,
        cause: error,
      })

/**
 * Checkpoints as files, one per key (`<directory>/<encoded key>.json`), for a single machine with no
 * Redis. Each save writes a temporary file, flushes it to disk and renames it over the old one, so a
 * crash at any moment leaves either the old checkpoint or the new one, never a torn file.
 */
export function fileCheckpoints(options: FileCheckpointsOptions | string): CheckpointStore {
  const { directory } = parseOptions(
    optionsSchema,
    typeof options === 'string' ? { directory: options } : options,
    'fileCheckpoints',
  )
  let closed = false
  let ready: Promise<unknown> | undefined
  const pathOf = (key: string) => join(directory, `${encodeURIComponent(key)}.json`)
  const run = async <T>(operation: string, body: () => Promise<T>): Promise<T> => {
    if (closed) throw closedError(operation)
    try {
      return await body()
    } catch (error) {
      throw failure(operation, error)
    }
  }

  return {
    load: (key) =>
      run('load', async () => {
        const path = pathOf(checkCheckpointKey(DRIVER, 'load', key))
        let text: string
        try {
          text = await readFile(path, 'utf8')
        } catch (error) {
          if (isMissing(error)) return undefined
          throw error
        }
        return checkCheckpoint(DRIVER, key, decodeStoredValue(text, key))
      }),
    save: (key, checkpoint) =>
      run('save', async () => {
        const path = pathOf(checkCheckpointKey(DRIVER, 'save', key))
        const text = encodeStoredValue(checkCheckpoint(DRIVER, key, checkpoint), key)
        ready ??= mkdir(directory, { recursive: true }).catch((error: unknown) => {
          ready = undefined
          throw error
        })
        await ready
        // A unique temporary name: two saves racing each write their own file, and the last rename wins whole.
        const temporary = `${path}.${randomUUID()}.tmp`
        const handle = await open(temporary, 'w')
        try {
          await handle.writeFile(text, 'utf8')
          await handle.sync()
        } finally {
          await handle.close()
        }
        try {
          await rename(temporary, path)
        } catch (error) {
          await rm(temporary, { force: true })
          throw error
        }
      }),
    delete: (key) =>
      run('delete', async () => {
        try {
          await rm(pathOf(checkCheckpointKey(DRIVER, 'delete', key)))
          return true
        } catch (error) {
          if (isMissing(error)) return false
          throw error
        }
      }),
    async close() {
      closed = true
    },
  }
}
