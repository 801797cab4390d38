import type { QualityReport } from '../transform/quality-report.js'

/** How far a sync got: reported after each confirmed batch and returned at the end. */
export interface SyncProgress {
  entity: string
  checkpointKey: string
  /** Changes read from the source in this run. */
  read: number
  /** Upserts the sink confirmed (after deduplication by key within a batch). */
  written: number
  /** Deletes the sink confirmed. */
  deleted: number
  /** Records the transformer refused (not written; see `onInvalid`). */
  invalid: number
  /** Batches confirmed by the sink (and checkpointed). */
  batches: number
  /** Changes read per second of this run. */
  recordsPerSecond: number
  /** How far behind the source the last confirmed change was (now − its `changedAt`), when known. */
  lagMs: number | undefined
  /** The cursor saved last; `undefined` before the first batch. */
  cursor: string | undefined
  /** Where this run started: the checkpoint's cursor, or `undefined` for a first run. */
  resumedFrom: string | undefined
  elapsedMs: number
  /** The data-quality report of the last batch, when a transformer is used. */
  quality?: QualityReport | undefined
}

/** Reports progress to something outside (a progress bar, logs); `finish` is called once at the end. */
export interface ProgressReporter {
  update(progress: SyncProgress): void
  finish(progress: SyncProgress | undefined): void
}
