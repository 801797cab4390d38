/** Where an incremental read stopped: the connector's cursor, and when and how far it got. */
export interface Checkpoint {
  /** The connector's serializable cursor (`Change.cursor`) of the last change the sink confirmed. */
  cursor: string
  /** When the checkpoint was saved. */
  savedAt: Date
  /** Changes read up to this checkpoint, over every run. */
  records: number
}

/**
 * Saved cursors, one per sync (e.g. `crm:Lead`). A checkpoint is saved only after the sink confirmed
 * everything before it, so a restarted sync resumes exactly there. Once closed, calls reject with a
 * `JunctionError` coded `STORE_CLOSED`.
 */
export interface CheckpointStore {
  /** The checkpoint under `key`, or `undefined` when none was saved. */
  load(key: string): Promise<Checkpoint | undefined>
  /** Replaces the checkpoint under `key`; durable when the promise resolves. */
  save(key: string, checkpoint: Checkpoint): Promise<void>
  /** Forgets `key` (the next sync starts over); returns whether it was there. */
  delete(key: string): Promise<boolean>
  /** Releases what the store opened itself. Idempotent. */
  close(): Promise<void>
}
