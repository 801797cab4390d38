/** The `$filter` and key-predicate subset the simulator reads. */
export {
  type ODataCondition,
  ODataSyntaxError,
  type ODataValue,
  parseFilter,
  parseKeyPredicate,
} from './odata-parser.js'
/** The in-memory service behind `sapSimulator`. */
export { ODataFault, type SapEntitySet, SapService } from './sap-service.js'
/** An SAP Gateway OData V2 simulator on core's testing kit. */
export { type SapSimulator, type SapSimulatorOptions, sapSimulator } from './sap-simulator.js'
