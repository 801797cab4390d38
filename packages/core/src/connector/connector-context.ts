import type { Logger } from '../logging/logger.js'
import type { JunctionEvents } from '../observability/junction-events.js'
import type { JunctionRequest, JunctionResponse, OperationInfo } from '../pipeline/request.js'
import type { Redactor } from '../redaction/redactor.js'
import type { KeyValueStore } from '../stores/key-value-store.js'

/** A request from inside a connector: a `path` under the base URL, or an absolute `url`. */
export type ConnectorRequest = Omit<JunctionRequest, 'url' | 'headers' | 'operation' | 'method'> & {
  method?: JunctionRequest['method']
  path?: string
  url?: string
  headers?: Readonly<Record<string, string>>
}

/** What a connector implementation is handed for each operation. */
export interface ConnectorContext<Options = unknown, State = unknown> {
  readonly system: string
  /** The connection name (e.g. `crm`). */
  readonly name: string
  /** The adapter's parsed options. */
  readonly options: Options
  /** The adapter's per-connection state, from its `setup`. */
  readonly state: State
  /** The operation this call belongs to. */
  readonly operation: OperationInfo
  /** Aborts when the caller cancels or the operation's deadline passes. */
  readonly signal: AbortSignal | undefined
  readonly logger: Logger
  readonly redactor: Redactor
  /** The connector's events, for adapter-specific signals (e.g. quota learned from a header). */
  readonly events: JunctionEvents
  /** Connector-scoped state (namespaced by tenant and connection). */
  readonly store: KeyValueStore
  /** Sends a request through the whole pipeline. */
  request<T = unknown>(request: ConnectorRequest): Promise<JunctionResponse<T>>
}
