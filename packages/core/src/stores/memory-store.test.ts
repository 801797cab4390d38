import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { keyValueStoreContract } from '../testing/key-value-store-contract.js'
import { memoryStore } from './memory-store.js'
import { memoryStores } from './memory-stores.js'

keyValueStoreContract('memoryStore', () => memoryStore())

describe('memoryStore', () => {
  it('does not keep the process alive while entries wait to expire', async () => {
    const source = fileURLToPath(new URL('./memory-store.ts', import.meta.url))
    const script = `
      const { memoryStore } = await import(${JSON.stringify(source)})
      await memoryStore({ purgeIntervalMs: 10 }).set('key', 1, { ttlMs: 3_600_000 })
      console.log('done')
    `
    const run = promisify(execFile)
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 15_000,
    })
    expect(stdout.trim()).toBe('done')
  })

  it('rejects a purge interval that is not a positive integer with a ConfigError', () => {
    expect(() => memoryStore({ purgeIntervalMs: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    )
  })
})

describe('memoryStores', () => {
  it('closes its state store when the bundle is closed', async () => {
    const stores = memoryStores()
    await stores.close()
    await expect(stores.state.get('key')).rejects.toMatchObject({ code: 'STORE_CLOSED' })
  })
})
