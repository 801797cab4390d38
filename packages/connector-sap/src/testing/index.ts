/** The `$filter` parser the simulator evaluates. */
export { type FilterNode, type ODataLiteral, ODataSyntaxError, parseFilter } from './filter-parser.js'
/** The SAP system simulator (OData V2/V4, CSRF, ETags, `$batch`, SOAP-RFC) and its fault preset. */
export {
  quotaViolationFault,
  type SapSimulator,
  type SapSimulatorOptions,
  sapSimulator,
} from './sap-simulator.js'
/** The simulated services' definitions (entity sets, keys, types, flags). */
export { SERVICES, type SimEntitySet, type SimServiceDefinition } from './service-catalog.js'
/** The OData error the simulated services answer with. */
export { ODataFault } from './sim-fault.js'
/** The in-memory data of one simulated service. */
export { SimService } from './sim-service.js'
/** A SOAP-RFC function module of the simulator. */
export type { SimFunction, SoapSession } from './soap-endpoint.js'
