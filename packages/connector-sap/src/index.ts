/** The SAP OData V2 connector factory. */

/** The OData V2 literal escaper and the builders every key and filter goes through. */
export { bindFilter, buildFilter, keyPredicate, odataLiteral } from './odata-literal.js'
export { sap } from './sap-connector.js'
/** Maps SAP Gateway error bodies, CSRF refusals and API Management quota faults to typed errors. */
export { mapSapError } from './sap-errors.js'
/** The factory's options and their defaults. */
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type SapOptions } from './sap-options.js'
