import type { ProgressReporter, SyncProgress } from './sync-progress.js'

/** Where a terminal progress bar draws: a TTY stream (stdout by default). */
export interface TerminalProgressOptions {
  stream?: NodeJS.WriteStream
}

const formatLag = (lagMs: number | undefined): string =>
  lagMs === undefined ? '-' : lagMs < 1_000 ? `${Math.round(lagMs)} ms` : `${(lagMs / 1_000).toFixed(1)} s`

/**
 * A one-line progress bar (cli-progress) with records, records/s and lag, drawn only when `stream` is a
 * TTY: piped output and CI logs stay clean. cli-progress is imported on first use, so a process that
 * never draws a bar never loads it.
 */
export async function terminalProgress(
  label: string,
  options: TerminalProgressOptions = {},
): Promise<ProgressReporter | undefined> {
  const stream = options.stream ?? process.stdout
  if (stream.isTTY !== true) return undefined
  const { SingleBar } = await import('cli-progress')
  const bar = new SingleBar({
    stream,
    format: `${label} {records} records | {written} written | {rate} rec/s | lag {lag}`,
    hideCursor: true,
    clearOnComplete: false,
    fps: 5,
  })
  const payload = (progress: SyncProgress | undefined) => ({
    records: progress?.read ?? 0,
    written: (progress?.written ?? 0) + (progress?.deleted ?? 0),
    rate: Math.round(progress?.recordsPerSecond ?? 0),
    lag: formatLag(progress?.lagMs),
  })
  bar.start(0, 0, payload(undefined))
  return {
    update(progress) {
      bar.update(progress.read, payload(progress))
    },
    finish(progress) {
      bar.update(progress?.read ?? 0, payload(progress))
      bar.stop()
    },
  }
}
