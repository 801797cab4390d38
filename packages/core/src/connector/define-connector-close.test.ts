import { describe, expect, it } from 'vitest'
import { ledgerConnector } from '../testing/test-support/ledger-connector.js'
import { ledgerSimulator } from '../testing/test-support/ledger-simulator.js'

describe('defineConnector close', () => {
  it('closes a connector with its own connection pool twice without an error', async () => {
    const sim = ledgerSimulator({ Invoice: [{ name: 'A' }] })
    const server = await sim.listen()
    try {
      const connector = ledgerConnector({ baseUrl: server.url, retry: false })
      expect(await connector.get('Invoice', 'L000001')).toMatchObject({ name: 'A' })
      await connector.close()
      await expect(connector.close()).resolves.toBeUndefined()
    } finally {
      await sim.close()
    }
  })
})
