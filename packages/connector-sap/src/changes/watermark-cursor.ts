import { ValidationError } from '@junction/core'
import { z } from 'zod'

const cursorSchema = z.strictObject({
  v: z.literal(1),
  /** The newest change time seen, ms since the epoch. */
  at: z.number().int(),
  /** Keys seen inside the overlap window, with the change time they were seen at. */
  recent: z.array(z.tuple([z.string(), z.number().int()])),
})

/** Where an incremental read stands: a watermark and the keys already seen near it. */
export type WatermarkCursor = z.infer<typeof cursorSchema>

/** The cursor as opaque, URL-safe text the caller can store. */
export function encodeCursor(cursor: WatermarkCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url')
}

/** Reads a stored cursor back; text this connector did not write is a `ValidationError`. */
export function decodeCursor(text: string): WatermarkCursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')))
  } catch {
    throw new ValidationError({
      message: 'sap changes: the cursor is not one this connector wrote',
      system: 'sap',
      operation: 'changes',
    })
  }
}

/**
 * The watermark's bookkeeping: a change is new unless its key was already seen at the same change
 * time; keys are remembered only while they are inside the overlap window behind the watermark, so
 * the cursor stays small.
 */
export class Watermark {
  #at: number
  readonly #recent: Map<string, number>

  constructor(
    cursor: WatermarkCursor,
    private readonly overlapMs: number,
  ) {
    this.#at = cursor.at
    this.#recent = new Map(cursor.recent)
  }

  /** The earliest change time to ask the system for. */
  get from(): number {
    return this.#at - this.overlapMs
  }

  /** Records `key` as changed at `changedAt`; false when it was already reported at that time. */
  see(key: string, changedAt: number): boolean {
    if (changedAt < this.from || this.#recent.get(key) === changedAt) return false
    this.#at = Math.max(this.#at, changedAt)
    this.#recent.set(key, changedAt)
    for (const [seen, time] of this.#recent) if (time < this.from) this.#recent.delete(seen)
    return true
  }

  /** The cursor that resumes just after everything seen so far. */
  cursor(): WatermarkCursor {
    return { v: 1, at: this.#at, recent: [...this.#recent] }
  }
}
