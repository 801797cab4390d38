/** The ServiceNow Table API connector factory. */

/** The encoded-query value guard and builders every query goes through. */
export { buildEncodedQuery, encodedQueryValue, rawEncodedQuery } from './encoded-query.js'
export { servicenow } from './servicenow-connector.js'
/** Maps ServiceNow's `{error: {message, detail}}` envelope to typed errors. */
export { mapServiceNowError, type ServiceNowErrorBody } from './servicenow-errors.js'
/** The factory's options and their defaults. */
export { DEFAULT_PAGE_SIZE, type ServiceNowOptions } from './servicenow-options.js'
