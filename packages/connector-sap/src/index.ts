/** EDMX parsing (V2 and V4). */
export { parseEdmx } from './metadata/parse-edmx.js'
/** Parsed `$metadata`. */
export type {
  EdmProperty,
  EntitySetInfo,
  ODataVersion,
  ServiceMetadata,
} from './metadata/service-metadata.js'
/** The `$filter` builder for a portable `where`, and the raw-filter binder (the escape hatch). */
export { bindFilter, buildFilter, type FilterOptions } from './odata/odata-filter.js'
/** The OData literal escaper and the key-predicate builder every key and filter value goes through. */
export { keyPredicate, type LiteralContext, odataLiteral } from './odata/odata-literal.js'
/** `$batch` options: `atomic`, or writes per changeset. */
export type { SapBatchOptions } from './sap-batch.js'
/** The SAP connector factory and its type. */
export { type SapConnector, sap } from './sap-connector.js'
/** Maps SAP Gateway error bodies, CSRF refusals, 412/428, SOAP faults and quota faults to typed errors. */
export { mapSapError } from './sap-errors.js'
/** `sap-message` / `sap-messages` header texts. */
export { sapMessages } from './sap-messages.js'
/** The factory's options and their defaults. */
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type SapOptions } from './sap-options.js'
/** A query with OData `$expand`. */
export type { SapQuery } from './sap-read.js'
/** The ETag of a record the connector read, for `RecordUpdate.etag`. */
export { etagOf } from './sap-responses.js'
/** BAPI calls over SOAP-RFC: options, results and messages. */
export type { BapiCallOptions, BapiMessage, BapiResult } from './soap/bapi-call.js'
/** RFC parameter values: scalars, structures and tables. */
export type { RfcStructure, RfcValue } from './soap/rfc-values.js'
/** SAP's write-back target: canonical results written through `$batch` changesets, a result per record. */
export { type BatchTargetOptions, batchTarget, type SapWrite } from './write-back/batch-target.js'
