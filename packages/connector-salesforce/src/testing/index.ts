/** The simulated org behind `salesforceSimulator`, for assertions and for provoking faults. */
export { ApiFault, SalesforceOrg, type SalesforceOrgOptions } from './salesforce-org.js'
/** A Salesforce simulator on core's testing kit: in-process dispatcher, loopback server, fault injection. */
export {
  type SalesforceSimulator,
  type SalesforceSimulatorOptions,
  salesforceSimulator,
} from './salesforce-simulator.js'
/** The SOQL subset the simulator understands. */
export { type ParsedSoql, parseSoql, SoqlSyntaxError, type SoqlValue } from './soql-parser.js'
