/** The encoded-query subset the simulator evaluates. */
export {
  type EncodedCondition,
  EncodedQueryNotSupported,
  type ParsedEncodedQuery,
  parseEncodedQuery,
} from './encoded-query-parser.js'
/** A ServiceNow Table API simulator on core's testing kit. */
export {
  type ServiceNowSimulator,
  type ServiceNowSimulatorOptions,
  servicenowSimulator,
} from './servicenow-simulator.js'
/** The simulated instance's tables. */
export { ServiceNowTables, type ServiceNowTablesOptions, TableFault } from './servicenow-tables.js'
