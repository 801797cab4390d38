import type { JunctionError } from '../errors/junction-error.js'
import type { JunctionEvents } from '../observability/junction-events.js'
import type { MiddlewareStack } from '../pipeline/middleware-stack.js'
import type { CacheDirective, JunctionResponse } from '../pipeline/request.js'
import type { ConnectorRequest } from './connector-context.js'

/** Every portable operation a connector may implement, in the contract's order. */
export const CAPABILITIES = [
  'get',
  'query',
  'create',
  'update',
  'upsert',
  'delete',
  'batch',
  'changes',
] as const

/** The portable operations a connector may implement. */
export type Capability = (typeof CAPABILITIES)[number]

/** A record as a system returns it: field name to value. */
export type EntityRecord = Record<string, unknown>

/** A record's key: a string, or named parts for composite keys (OData). */
export type RecordId = string | Readonly<Record<string, string | number>>

/** A value a portable query can compare against; each connector escapes it in its own dialect. */
export type QueryLiteral = string | number | boolean | Date | null

/** A condition on one field: a bare value means equality. */
export type FieldCondition =
  | QueryLiteral
  | {
      eq?: QueryLiteral
      ne?: QueryLiteral
      gt?: QueryLiteral
      gte?: QueryLiteral
      lt?: QueryLiteral
      lte?: QueryLiteral
      in?: readonly QueryLiteral[]
      notIn?: readonly QueryLiteral[]
      like?: string
      startsWith?: string
      contains?: string
    }

/** A query in the system's own dialect, with values bound by name and escaped by the connector. */
export interface RawQuery {
  text: string
  params?: Readonly<Record<string, QueryLiteral>>
}

/** A portable read: conditions are ANDed; connectors translate and escape them in one place. */
export interface Query {
  where?: Readonly<Record<string, FieldCondition>>
  select?: readonly string[]
  orderBy?: ReadonlyArray<{ field: string; direction?: 'asc' | 'desc' }>
  /** Stop after this many records. */
  limit?: number
  /** A page-size hint; the connector may cap it. */
  pageSize?: number
  /** The explicit escape hatch: the system's own query text, used instead of `where`. */
  raw?: RawQuery
}

/** Per-call options every operation accepts. */
export interface OperationOptions {
  signal?: AbortSignal
  /** Overall deadline for the whole operation, in milliseconds. */
  timeoutMs?: number
  /** Who the call is made for (recorded in audit events). */
  actor?: string
  /** Ties the call to a request or trace of the caller's. */
  correlationId?: string
  /**
   * Answers the operation's reads from the connector's cache (the `cache` option): every GET it sends
   * carries this directive. A `get` also tags its entry with the record, so writes to it drop it.
   */
  cache?: CacheDirective
}

/** What happened to one record of a write; a partial success is never thrown away. */
export type WriteResult =
  | {
      ok: true
      /** Position in the input. */
      index: number
      id: string | undefined
      /** For upserts: whether the record was created (true) or updated (false). */
      created?: boolean
      /** Messages the system returned alongside success (e.g. SAP `sap-message`). */
      warnings?: readonly string[]
    }
  | { ok: false; index: number; id?: string | undefined; error: JunctionError }

/** An update of one record: its key, the fields to change, and an optional version for optimistic locking. */
export interface RecordUpdate {
  id: RecordId
  values: EntityRecord
  /** The version (ETag) the change is based on, where the system supports it. */
  etag?: string
}

/** Write options; `allOrNone` asks the system to apply all records or none, where it can. */
export interface WriteOptions extends OperationOptions {
  allOrNone?: boolean
}

/** Upsert options: the external-id field the system matches on. */
export interface UpsertOptions extends WriteOptions {
  externalId: string
}

/** One step of a batch. */
export type BatchOperation =
  | { op: 'get'; entity: string; id: RecordId }
  | { op: 'create'; entity: string; record: EntityRecord }
  | { op: 'update'; entity: string; update: RecordUpdate }
  | { op: 'upsert'; entity: string; record: EntityRecord; externalId: string }
  | { op: 'delete'; entity: string; id: RecordId }

/** The result of one batch step; `record` is set for gets. */
export type BatchResult = WriteResult & { record?: EntityRecord | undefined }

/** Batch options; `atomic` groups the writes so they succeed or fail together, where the system can. */
export interface BatchOptions extends OperationOptions {
  atomic?: boolean
}

/** One change from an incremental read. `cursor` resumes the read just after this change. */
export interface Change<R extends EntityRecord = EntityRecord> {
  kind: 'upsert' | 'delete'
  id: string
  record?: R | undefined
  changedAt?: Date | undefined
  /** Serializable: store it, and pass it back to `changes` to resume without gaps or repeats. */
  cursor: string
}

/** Where an incremental read starts: a saved cursor, or a point in time. */
export interface ChangesOptions extends OperationOptions {
  cursor?: string
  since?: Date
  pageSize?: number
}

/** One system's API behind portable operations. Reads are async iterables; writes report per record. */
export interface Connector {
  /** The system kind, e.g. `salesforce`. */
  readonly system: string
  /** This connection's name, e.g. `crm` (defaults to the system). */
  readonly name: string
  /** The operations this connector implements; the others throw `NOT_SUPPORTED`. */
  readonly capabilities: ReadonlySet<Capability>
  /** The request pipeline, outermost first; add, remove or reorder middleware by name. */
  readonly stack: MiddlewareStack
  /** Typed events: requests, retries, throttling, breaker state, quota, cache. */
  readonly events: JunctionEvents
  /** One record by key, or `undefined` when it does not exist. */
  get(entity: string, id: RecordId, options?: OperationOptions): Promise<EntityRecord | undefined>
  /** Every matching record; paging is the connector's business. */
  query(entity: string, query?: Query, options?: OperationOptions): AsyncIterable<EntityRecord>
  /** Creates records; one result per input, in order. */
  create(entity: string, records: readonly EntityRecord[], options?: WriteOptions): Promise<WriteResult[]>
  /** Changes fields of existing records; one result per input, in order. */
  update(entity: string, updates: readonly RecordUpdate[], options?: WriteOptions): Promise<WriteResult[]>
  /** Creates or updates by an external id; one result per input, in order. */
  upsert(entity: string, records: readonly EntityRecord[], options: UpsertOptions): Promise<WriteResult[]>
  /** Deletes records by key; one result per input, in order. */
  delete(entity: string, ids: readonly RecordId[], options?: WriteOptions): Promise<WriteResult[]>
  /** Several operations in as few calls as the system allows. */
  batch(operations: readonly BatchOperation[], options?: BatchOptions): Promise<BatchResult[]>
  /** Changes since a cursor or a time, oldest first. */
  changes(entity: string, options?: ChangesOptions): AsyncIterable<Change>
  /** Any other call to the system, through the same pipeline (auth, limits, retries, audit). */
  request<T = unknown>(request: ConnectorRequest): Promise<JunctionResponse<T>>
  /** Releases connections and timers. */
  close(): Promise<void>
}
