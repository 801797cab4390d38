/** The Salesforce connector factory and its extra operations. */

/** Bulk API 2.0 ingest operations. */
export type { IngestOperation } from './operations/bulk-ingest.js'
/** Composite subrequests and their answers. */
export type { CompositeOptions, CompositeSubrequest, CompositeSubresponse } from './operations/composite.js'
export {
  type SalesforceConnector,
  type SalesforceExtras,
  salesforce,
} from './salesforce-connector.js'
/** The parts of a describe answer the connector reads. */
export type { SObjectDescribe } from './salesforce-context.js'
/** Maps Salesforce REST error arrays and per-record errors to typed errors (for adapters layered on this one). */
export {
  mapRecordError,
  mapSalesforceError,
  type SalesforceApiError,
  type SalesforceRecordError,
} from './salesforce-errors.js'
/** The factory's options and the `auth` forms it accepts. */
export { DEFAULT_API_VERSION, type SalesforceAuth, type SalesforceOptions } from './salesforce-options.js'
/** The SOQL literal escapers and builders every query goes through. */
export {
  bindSoql,
  buildCountSoql,
  buildSoql,
  type SoqlBuildOptions,
  soqlDate,
  soqlLikeLiteral,
  soqlLiteral,
} from './soql.js'
