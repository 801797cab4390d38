/** One change as a sink applies it, keyed so that applying it twice leaves the same state. */
export type SinkChange<T> =
  | {
      kind: 'upsert'
      /** The key the sink writes under (an external id, a canonical id from identity links...). */
      key: string
      value: T
      /** The record's id in the source system. */
      sourceId: string
      changedAt?: Date | undefined
    }
  | { kind: 'delete'; key: string; sourceId: string; changedAt?: Date | undefined }

/** What a sink is told about the batch it is writing. */
export interface SinkContext {
  readonly entity: string
  readonly signal: AbortSignal | undefined
}

/**
 * Where `sync` writes. `write` must be idempotent per key (a batch replayed after a crash rewrites the
 * same keys to the same values) and resolve only once the batch is durable: the checkpoint is saved
 * after it resolves, and a batch it rejects is read again on the next run.
 */
export interface SyncSink<T> {
  write(changes: ReadonlyArray<SinkChange<T>>, context: SinkContext): Promise<void>
}
