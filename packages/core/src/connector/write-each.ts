import { JunctionError } from '../errors/junction-error.js'
import type { WriteResult } from './connector.js'

/** What one record's write resolved to, before its position is attached. */
export type RecordOutcome =
  | { ok: true; id: string | undefined; created?: boolean; warnings?: readonly string[] }
  | { ok: false; id?: string | undefined; error: JunctionError }

/**
 * Writes items one at a time, in order, and reports one result each: a `JunctionError` from one
 * item becomes that item's failure and the rest still run; any other error is a bug and propagates.
 */
export async function writeEach<T>(
  items: readonly T[],
  write: (item: T, index: number) => Promise<RecordOutcome>,
): Promise<WriteResult[]> {
  const results: WriteResult[] = []
  for (const [index, item] of items.entries()) {
    try {
      results.push({ ...(await write(item, index)), index })
    } catch (error) {
      if (!(error instanceof JunctionError)) throw error
      results.push({ ok: false, index, error })
    }
  }
  return results
}
