/** The Salesforce connector factory. */
export { salesforce } from './salesforce-connector.js'
/** Maps Salesforce REST error arrays to typed errors (for adapters layered on this one). */
export { mapSalesforceError, type SalesforceApiError } from './salesforce-errors.js'
/** The factory's options and the `auth` forms it accepts. */
export { DEFAULT_API_VERSION, type SalesforceAuth, type SalesforceOptions } from './salesforce-options.js'
/** The SOQL literal escaper and builders every query goes through. */
export { bindSoql, buildSoql, soqlLiteral } from './soql.js'
