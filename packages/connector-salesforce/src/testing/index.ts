/** A REST error the simulated org answers with (status, errorCode, message, fields). */
export { ApiFault } from './api-fault.js'
/** How the simulated Bulk API 2.0 behaves where the reference leaves it open. */
export type { BulkSimulatorOptions } from './bulk-routes.js'
/** The simulated token endpoint and the connected app it trusts. */
export { type ConnectedAppOptions, OAuthEndpoint } from './oauth-endpoint.js'
/** The simulated org behind `salesforceSimulator`, for assertions and for provoking faults. */
export { SalesforceOrg, type SalesforceOrgOptions } from './salesforce-org.js'
/** A Salesforce simulator on core's testing kit: in-process dispatcher, loopback server, fault injection. */
export {
  type SalesforceSimulator,
  type SalesforceSimulatorOptions,
  salesforceSimulator,
} from './salesforce-simulator.js'
/** How tests declare fields the seed records do not show. */
export type { FieldDeclaration, FieldType } from './sobject-schema.js'
/** The SOQL subset the simulator understands. */
export {
  type ParsedSoql,
  parseSoql,
  type SoqlCondition,
  type SoqlOperator,
  SoqlSyntaxError,
  type SoqlValue,
} from './soql-parser.js'
