import type { WriteResult } from '../connector/connector.js'
import { JunctionError } from '../errors/junction-error.js'
import type { WriteBackResult, WriteBackTarget } from './write-back-target.js'

/** Options for one write-back. */
export interface WriteBackOptions<T> {
  targets: ReadonlyArray<WriteBackTarget<T>>
  records: readonly T[]
  signal?: AbortSignal
  correlationId?: string
}

const failureOf = (error: unknown, target: string): JunctionError =>
  error instanceof JunctionError
    ? error
    : new JunctionError({
        code: 'WRITE_BACK_FAILED',
        message: `write-back to ${target} failed: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      })

/**
 * Pushes canonical results to each target (in parallel, each through its own write path) and returns
 * a result per record per target. A target that throws, or answers with fewer results than records,
 * gets a failure for each record it did not report, so no outcome is silently lost.
 */
export async function writeBack<T>(options: WriteBackOptions<T>): Promise<WriteBackResult> {
  const { records, signal, correlationId } = options
  const targets = await Promise.all(
    options.targets.map(async (target) => {
      let results: WriteResult[]
      try {
        results = await target.write(records, { signal, correlationId })
      } catch (error) {
        const failure = failureOf(error, target.name)
        results = records.map((_, index) => ({ ok: false, index, error: failure }))
      }
      const byIndex = new Map(results.map((result) => [result.index, result]))
      const complete = records.map(
        (_, index): WriteResult =>
          byIndex.get(index) ?? {
            ok: false,
            index,
            error: new JunctionError({
              code: 'NO_RESULT',
              message: `write-back to ${target.name} reported no result for record ${index}`,
            }),
          },
      )
      const succeeded = complete.filter((result) => result.ok).length
      return { target: target.name, succeeded, failed: complete.length - succeeded, results: complete }
    }),
  )
  return { ok: targets.every((target) => target.failed === 0), targets }
}
