import { appendFile, open, readFile } from 'node:fs/promises'
import type { SinkChange, SyncSink } from '../../sync/sync-sink.js'

/** A line of the file sink: one applied change. */
export interface FileSinkLine {
  key: string
  kind: 'upsert' | 'delete'
  value?: unknown
}

/**
 * A sink that appends each applied change as a JSON line and flushes it to disk before confirming: the
 * file is the record of every write, so a test can count writes per key across a killed process.
 * `afterWrite` runs once a batch is durable, before the sink confirms it.
 */
export function fileSink<T>(path: string, afterWrite?: (batch: number) => Promise<void>): SyncSink<T> {
  let batches = 0
  return {
    async write(changes: ReadonlyArray<SinkChange<T>>) {
      const lines = changes.map((change) =>
        JSON.stringify({
          key: change.key,
          kind: change.kind,
          value: change.kind === 'upsert' ? change.value : undefined,
        }),
      )
      await appendFile(path, `${lines.join('\n')}\n`)
      const handle = await open(path, 'r')
      await handle.sync()
      await handle.close()
      await afterWrite?.(++batches)
    },
  }
}

/** The lines a file sink wrote. */
export async function readFileSink(path: string): Promise<FileSinkLine[]> {
  const text = await readFile(path, 'utf8').catch(() => '')
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as FileSinkLine)
}
