/** The ServiceNow connector factory and its type. */

/** Aggregate API request and groups. */
export type { AggregateGroup, AggregateRequest } from './extras/aggregate.js'
/** Attachment upload, download and metadata. */
export type { AttachmentDownload, AttachmentMetadata, AttachmentUpload } from './extras/attachments.js'
/** Options of `changes`. */
export type { ServiceNowChangesOptions } from './extras/changes.js'
/** Import Set results. */
export type { ImportResult, TransformOutcome, TransformStatus } from './import-set/import-results.js'
/** Import Set options. */
export type { ImportOptions } from './import-set/import-set.js'
/** A write-back target that writes canonical results through the Import Set API and its transform maps. */
export {
  type ImportSetTarget,
  type ImportSetTargetOptions,
  importSetTarget,
} from './import-set/import-set-target.js'
/** The encoded-query value guard and builders every query goes through. */
export {
  buildEncodedQuery,
  type EncodedOperator,
  type EncodedValue,
  encodedCondition,
  encodedQueryValue,
  rawEncodedQuery,
} from './query/encoded-query.js'
/** The fluent encoded-query builder (`^`, `^OR`, `^NQ`, `ORDERBY`). */
export { EncodedQueryBuilder, encodedQuery } from './query/encoded-query-builder.js'
export { type ServiceNowConnector, type ServiceNowExtras, servicenow } from './servicenow-connector.js'
/** Maps ServiceNow's `{error: {message, detail}}` envelope to typed errors; the adapter's own codes. */
export { mapServiceNowError, SERVICENOW_ERROR_CODES, type ServiceNowErrorBody } from './servicenow-errors.js'
/** The factory's options and their defaults. */
export { DEFAULT_PAGE_SIZE, type ServiceNowAuth, type ServiceNowOptions } from './servicenow-options.js'
/** A table's columns, from `describe`. */
export type { ColumnDescription } from './table/field-check.js'
/** Typed reading of string values through core's converters. */
export { type ColumnKind, columnKinds, type TypedRecord, typedRecord } from './table/typed-record.js'
/** A field's stored value as text, from a string, a reference or a display-value pair. */
export { storedValue } from './table/wire-values.js'
