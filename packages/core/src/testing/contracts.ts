// Driver contract suites for third-party drivers (as keyv publishes its test suite). They register
// vitest tests, and vitest loads only as ESM, so they live in their own entry: importing
// `@junction/core/testing` never pulls vitest in.
export { identityStoreContract } from '../identity/identity-store-contract.js'
export { cacheContract } from './cache-store-contract.js'
export { checkpointStoreContract } from './checkpoint-store-contract.js'
export type { ConnectorContractOptions, ConnectorFixture } from './connector-checks.js'
export { connectorContract } from './connector-contract.js'
export { keyValueStoreContract } from './key-value-store-contract.js'
export { messageBusContract } from './message-bus-contract.js'
