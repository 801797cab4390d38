/** The encoded-query subset the simulator evaluates. */
export {
  conditionsOf,
  type EncodedCondition,
  EncodedQueryNotSupported,
  type EncodedQueryOperator,
  type ParsedEncodedQuery,
  parseEncodedQuery,
} from './encoded-query-parser.js'
/** Import Set transform maps. */
export { DEFAULT_TRANSFORM_MAPS, type TransformMap, type TransformVerdict } from './handlers/import-api.js'
/** The OAuth application options of the simulated instance. */
export type { OAuthClientOptions } from './handlers/oauth.js'
/** The rate-limit rule options. */
export type { RateLimitRuleOptions } from './handlers/rate-limit-rule.js'
/** Faults a ServiceNow instance shows (hibernation page, transaction quota, semaphores). */
export { serviceNowFaults } from './servicenow-faults.js'
/** A ServiceNow simulator on core's testing kit. */
export {
  type ServiceNowSimulator,
  type ServiceNowSimulatorOptions,
  servicenowSimulator,
} from './servicenow-simulator.js'
/** The simulated instance's tables. */
export {
  ServiceNowTables,
  type ServiceNowTablesOptions,
  type StoredRow,
  TableFault,
} from './servicenow-tables.js'
/** Table definitions of the simulated instance. */
export type { ColumnSpec, ColumnType, TableSpec } from './table-schemas.js'
