export type {
  AuditEvent,
  AuditEventInput,
} from './audit/audit-event.js'
export { auditEventSchema, createAuditEvent, parseAuditEvent } from './audit/audit-event.js'
export { auditLogFiles, rotatedLogPath } from './audit/audit-log-files.js'
export type { AuditSink } from './audit/audit-sink.js'
export {
  type ApprovalRecord,
  type AuditTrail,
  type AuditTrailOptions,
  auditTrail,
  type DecisionRecord,
} from './audit/audit-trail.js'
export { type BufferedAuditOptions, type BufferedAuditSink, bufferedAudit } from './audit/buffered-audit.js'
export { canonicalJson } from './audit/canonical-json.js'
export { type ChainHead, type ChainKey, GENESIS_HASH } from './audit/hash-chain.js'
export { type JsonlAuditOptions, type JsonlAuditSink, jsonlAudit } from './audit/jsonl-audit.js'
export { type MemoryAuditSink, memoryAudit } from './audit/memory-audit.js'
export {
  type PgClientLike,
  type PgPoolLike,
  type PostgresAuditOptions,
  type PostgresAuditSink,
  postgresAudit,
} from './audit/postgres-audit.js'
export { redactedAudit } from './audit/redacted-audit.js'
export {
  type RedactionPolicy,
  type RedactionPolicyOptions,
  redactionPolicy,
} from './audit/redaction-policy.js'
export {
  type AuditLogFailure,
  type AuditLogFailureReason,
  type AuditLogVerification,
  type VerifyAuditLogOptions,
  verifyAuditLog,
} from './audit/verify-audit-log.js'
export { type AuthConfig, authConfigSchema, createAuthProvider } from './auth/auth-config.js'
export { authMiddleware } from './auth/auth-middleware.js'
export type { AuthContext, AuthProvider } from './auth/auth-provider.js'
export type { TokenInfo } from './auth/token-info.js'
export { type BreakerOptions, breakerOptionsSchema } from './breaker/breaker-options.js'
export { isSystemFailure } from './breaker/breaker-verdict.js'
export { circuitBreakerMiddleware } from './breaker/circuit-breaker-middleware.js'
export { CircuitOpenError, type CircuitOpenErrorOptions } from './breaker/circuit-open-error.js'
export { endpointKey } from './breaker/endpoint-key.js'
export { busSink } from './bus/bus-sink.js'
export { type MemoryBusOptions, memoryBus } from './bus/memory-bus.js'
export type {
  BusMessage,
  DeadLetter,
  DeadLetterError,
  HandlerContext,
  MessageBus,
  MessageHandler,
  PublishOptions,
  SubscribeOptions,
  Subscription,
  SubscriptionEvent,
} from './bus/message-bus.js'
export { type RedisBusOptions, redisBus } from './bus/redis-bus.js'
export { cacheNamespace, recordTag, requestCacheKey } from './cache/cache-keys.js'
export { type CacheOptions, cacheMiddleware, cacheOptionsSchema } from './cache/cache-middleware.js'
export type { CacheEntry, CacheStore } from './cache/cache-store.js'
export { invalidateRecords } from './cache/invalidate-records.js'
export { type MemoryCacheOptions, memoryCache } from './cache/memory-cache.js'
export { type RedisCacheOptions, redisCache } from './cache/redis-cache.js'
export {
  amountSchema,
  canonicalEntity,
  currencyCodeSchema,
  type EntityRef,
  entityRefSchema,
  type PostalAddress,
  postalAddressSchema,
  type SourceIds,
  sourceIdsSchema,
} from './canonical/canonical-entity.js'
export { type Contact, contactSchema } from './canonical/contact.js'
export { type Customer, customerSchema } from './canonical/customer.js'
export { type Incident, incidentSchema, incidentStates } from './canonical/incident.js'
export { type Lead, leadSchema } from './canonical/lead.js'
export {
  type Prediction,
  type PredictionInput,
  predictionFactorSchema,
  predictionInputSchema,
  predictionSchema,
} from './canonical/prediction.js'
export { type Product, productSchema } from './canonical/product.js'
export {
  type SalesOrder,
  type SalesOrderLine,
  salesOrderLineSchema,
  salesOrderSchema,
} from './canonical/sales-order.js'
export type { Checkpoint, CheckpointStore } from './checkpoints/checkpoint-store.js'
export { type FileCheckpointsOptions, fileCheckpoints } from './checkpoints/file-checkpoints.js'
export { memoryCheckpoints, redisCheckpoints, storeCheckpoints } from './checkpoints/store-checkpoints.js'
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
export { CAPABILITIES } from './connector/connector.js'
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
export {
  exactIdFormat,
  type IdFormat,
  salesforceIdFormat,
  sapKeyFormat,
  serviceNowSysIdFormat,
} from './identity/id-format.js'
export {
  assertApplied,
  type ConflictingResult,
  type IdentityConflict,
  type IdentityEntity,
  type LinkChange,
  type LinkResult,
  type SystemRef,
} from './identity/identity-link.js'
export {
  type IdentityActor,
  type IdentityChangeContext,
  type IdentityChangeResult,
  type IdentityMatchResult,
  type IdentityOperation,
  type IdentityResolver,
  type IdentityResolverOptions,
  identityResolver,
  type LinkedElsewhere,
} from './identity/identity-resolver.js'
export type { IdentityStore, JournalEntry } from './identity/identity-store.js'
export type { IdentityStoreOptions } from './identity/identity-store-options.js'
export { LEGAL_SUFFIXES } from './identity/legal-suffixes.js'
export type { MatchExplanation, MatchRecord, RecordMatch } from './identity/match-record.js'
export {
  type AmbiguousMatch,
  type MatchOptions,
  type MatchOutcome,
  type MatchStats,
  matchRecords,
  type RuleStats,
} from './identity/match-records.js'
export type { MatchRule, RuleKey, RuleVerdict } from './identity/match-rule.js'
export {
  type DefaultMatchRulesOptions,
  defaultMatchRules,
  dunsRule,
  emailRule,
  type FuzzyNameOptions,
  fuzzyNameRule,
  namePostcodeRule,
  type PhoneRuleOptions,
  phoneRule,
  RULE_CONFIDENCE,
  taxIdRule,
} from './identity/match-rules.js'
export { memoryIdentityStore } from './identity/memory-identity-store.js'
export { normalizeEmail } from './identity/normalize-email.js'
export { foldText, normalizeName, normalizePostcode } from './identity/normalize-name.js'
export { normalizePhone } from './identity/normalize-phone.js'
export { normalizeDuns, normalizeTaxId } from './identity/normalize-registry-number.js'
export {
  type RedisIdentityStats,
  type RedisIdentityStore,
  type RedisIdentityStoreOptions,
  redisIdentityStore,
} from './identity/redis-identity-store.js'
export { createLimiter, type LimitedRequest, type Limiter } from './limits/limiter.js'
export type { LimiterContext } from './limits/limiter-context.js'
export {
  type LimitsOptions,
  limitsOptionsSchema,
  type QuotaPolicyOptions,
  quotaPolicyOptionsSchema,
  type ResolvedLimitsOptions,
  requestPrioritySchema,
  type SharedBudgetOptions,
  sharedBudgetOptionsSchema,
} from './limits/limits-options.js'
export { quotaMiddleware } from './limits/quota-middleware.js'
export {
  type QuotaReader,
  type QuotaReport,
  rateLimitHeadersQuota,
  salesforceQuota,
} from './limits/quota-reader.js'
export { rateLimitMiddleware } from './limits/rate-limit-middleware.js'
export { type BudgetGrant, type SharedBudget, sharedBudget } from './limits/shared-budget.js'
export { type Logger, silentLogger } from './logging/logger.js'
export {
  type EventOrigin,
  type JunctionEventMap,
  type JunctionEventName,
  JunctionEvents,
  type JunctionListener,
} from './observability/junction-events.js'
export {
  type BreakerSnapshot,
  createMetrics,
  type LatencySummary,
  type MetricsOptions,
  type MetricsRecorder,
  type MetricsSnapshot,
  metricsOptionsSchema,
  type SeriesSnapshot,
} from './observability/metrics-recorder.js'
export { observeMiddleware } from './observability/observe-middleware.js'
export {
  createTelemetry,
  type OperationOutcome,
  type OperationSpan,
  type OperationSpanOrigin,
  type Telemetry,
  type TelemetryAttributes,
  type TelemetryCounter,
  type TelemetryHistogram,
  type TelemetryMeter,
  type TelemetryOptions,
  type TelemetrySpan,
  type TelemetryTracer,
  telemetryOptionsSchema,
} from './observability/telemetry.js'
export {
  bodySnippet,
  type ErrorMapper,
  type HttpErrorOverrides,
  type HttpErrorsOptions,
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
export { DEFAULT_RESET_HEADERS, parseRateLimitReset } from './pipeline/rate-limit-reset.js'
export {
  type CacheDirective,
  type Handler,
  type HttpMethod,
  headerValue,
  isIdempotent,
  type JunctionRequest,
  type JunctionResponse,
  type OperationInfo,
  type QueryParamValue,
  type RequestBody,
  type RequestPriority,
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
export { RetryBudget, type RetryBudgetOptions, retryBudgetOptionsSchema } from './retry/retry-budget.js'
export { retryMiddleware } from './retry/retry-middleware.js'
export { type RetryOptions, retryOptionsSchema } from './retry/retry-options.js'
export type { KeyValueStore, StoreWriteOptions } from './stores/key-value-store.js'
export { type MemoryStoreOptions, memoryStore } from './stores/memory-store.js'
export { memoryStores } from './stores/memory-stores.js'
export { type RedisStoreOptions, redisStore } from './stores/redis-store.js'
export { redisStores } from './stores/redis-stores.js'
export type { Stores } from './stores/stores.js'
export { keyValueSink } from './sync/key-value-sink.js'
export { type InvalidRecord, type SyncOptions, sync } from './sync/sync.js'
export type { ProgressReporter, SyncProgress } from './sync/sync-progress.js'
export type { SinkChange, SinkContext, SyncSink } from './sync/sync-sink.js'
export { type TerminalProgressOptions, terminalProgress } from './sync/terminal-progress.js'
export { compose as composeTransformers } from './transform/compose.js'
export { convert } from './transform/convert.js'
export { type Converter, type ConvertFunction, converter } from './transform/converter.js'
export { type DecimalString, decimalStringSchema, parseDecimal, parseInt64 } from './transform/decimal.js'
export {
  defineMapping,
  type InverseSpec,
  type InvertibleMapping,
  type Mapping,
  type MappingSpec,
} from './transform/define-mapping.js'
export type { FieldRule, FieldSpec, FieldSpecs, FieldStep } from './transform/field-spec.js'
export { type TransformIssueCode, transformIssueCodes } from './transform/issue-codes.js'
export type { PicklistOptions } from './transform/picklist.js'
export {
  type DuplicateKey,
  type QualityReport,
  type QualityReportOptions,
  qualityReport,
} from './transform/quality-report.js'
export { salesforceIdsEqual, toSalesforceId18 } from './transform/salesforce-id.js'
export { isSapOpenEnd, parseSapDate, type SapDate, type SapDateOptions } from './transform/sap-formats.js'
export { parseServiceNowDateTime } from './transform/servicenow-formats.js'
export {
  invalid as transformFailure,
  type Transformer,
  type TransformIssue,
  type TransformResult,
  valid as transformSuccess,
} from './transform/transformer.js'
export {
  createTransport,
  type Transport,
  type TransportOptions,
  transportOptionsSchema,
} from './transport/transport.js'
export {
  type ApprovalGate,
  type ApprovalGateOptions,
  type ApprovalRequest,
  type ApprovalStatus,
  approvalGate,
  type DecideOptions,
  type StoredWriteOutcome,
  type SubmitOptions,
} from './write-back/approval-gate.js'
export { type UpsertTargetOptions, upsertTarget } from './write-back/upsert-target.js'
export { type WriteBackOptions, writeBack } from './write-back/write-back.js'
export {
  type MappedResult,
  mapResult,
  type WriteBackDestination,
  type WriteBackMap,
} from './write-back/write-back-map.js'
export type {
  TargetOutcome,
  WriteBackContext,
  WriteBackResult,
  WriteBackTarget,
} from './write-back/write-back-target.js'
