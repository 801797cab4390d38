import { describe } from 'vitest'
import { identityStoreContract } from './identity-store-contract.js'
import { memoryIdentityStore } from './memory-identity-store.js'

describe('memoryIdentityStore', () => {
  identityStoreContract('memoryIdentityStore', (options) => memoryIdentityStore(options))
})
