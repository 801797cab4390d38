export type {
  AuditEvent,
  AuditEventInput,
} from './audit/audit-event.js'
export { auditEventSchema, createAuditEvent, parseAuditEvent } from './audit/audit-event.js'
export type { AuditSink } from './audit/audit-sink.js'
export { type JsonlAuditOptions, jsonlAudit } from './audit/jsonl-audit.js'
export { type MemoryAuditSink, memoryAudit } from './audit/memory-audit.js'
export { type AuthConfig, authConfigSchema, createAuthProvider } from './auth/auth-config.js'
export { authMiddleware } from './auth/auth-middleware.js'
export type { AuthContext, AuthProvider } from './auth/auth-provider.js'
export type { TokenInfo } from './auth/token-info.js'
export type { CacheEntry, CacheStore } from './cache/cache-store.js'
export { parseOptions } from './config/parse-options.js'
export type {
  BatchOperation,
  BatchOptions,
  BatchResult,
  Capability,
  Change,
  ChangesOptions,
  Connector,
  EntityRecord,
  FieldCondition,
  OperationOptions,
  Query,
  QueryLiteral,
  RawQuery,
  RecordId,
  RecordUpdate,
  UpsertOptions,
  WriteOptions,
  WriteResult,
} from './connector/connector.js'
export type { ConnectorContext, ConnectorRequest } from './connector/connector-context.js'
export {
  type ConnectorOptions,
  type ConnectorSpec,
  connectorOptionsSchema,
  defineConnector,
  type OperationRunner,
} from './connector/define-connector.js'
export { expectBody } from './connector/response-body.js'
export { type RecordOutcome, writeEach } from './connector/write-each.js'
export {
  AuthError,
  ConfigError,
  ConflictError,
  NotFoundError,
  RateLimitError,
  TimeoutError,
  TransportError,
  ValidationError,
} from './errors/error-kinds.js'
export {
  type ErrorOrigin,
  isJunctionError,
  JunctionError,
  type JunctionErrorCode,
  type JunctionErrorOptions,
} from './errors/junction-error.js'
export { type Logger, silentLogger } from './logging/logger.js'
export {
  type EventOrigin,
  type JunctionEventMap,
  type JunctionEventName,
  JunctionEvents,
  type JunctionListener,
} from './observability/junction-events.js'
export {
  bodySnippet,
  type ErrorMapper,
  type HttpErrorOverrides,
  httpErrors,
  httpStatusError,
  responseErrorFields,
} from './pipeline/http-errors.js'
export {
  type Middleware,
  MiddlewareStack,
  type PipelineContext,
  type StackPosition,
} from './pipeline/middleware-stack.js'
export {
  type Handler,
  type HttpMethod,
  headerValue,
  isIdempotent,
  type JunctionRequest,
  type JunctionResponse,
  type OperationInfo,
  type QueryParamValue,
  type RequestBody,
  type ResponseHeaders,
  type ResponseType,
} from './pipeline/request.js'
export { parseRetryAfter } from './pipeline/retry-after.js'
export { type BindDialect, bindParams } from './query/bind-params.js'
export {
  type Condition,
  type ConditionOperator,
  unsupportedCondition,
  whereConditions,
} from './query/where-conditions.js'
export { Redactor } from './redaction/redactor.js'
export type { KeyValueStore, StoreWriteOptions } from './stores/key-value-store.js'
export { type MemoryStoreOptions, memoryStore } from './stores/memory-store.js'
export { memoryStores } from './stores/memory-stores.js'
export { type RedisStoreOptions, redisStore } from './stores/redis-store.js'
export { redisStores } from './stores/redis-stores.js'
export type { Stores } from './stores/stores.js'
export type { Transformer, TransformIssue, TransformResult } from './transform/transformer.js'
export {
  createTransport,
  type Transport,
  type TransportOptions,
  transportOptionsSchema,
} from './transport/transport.js'
