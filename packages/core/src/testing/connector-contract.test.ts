import type { EntityRecord } from '../connector/connector.js'
import { connectorContract } from './connector-contract.js'
import { ledgerConnector, readOnlyLedgerConnector } from './test-support/ledger-connector.js'
import { ledgerSimulator } from './test-support/ledger-simulator.js'

const seed = (): Record<string, EntityRecord[]> => ({
  Invoice: Array.from({ length: 5 }, (_, index) => ({ name: `Invoice ${index + 1}`, amount: index + 1 })),
})

const fixtures = {
  entity: 'Invoice',
  idField: 'id',
  existingId: 'L000002',
  missingId: 'L999999',
  newRecord: (n: number) => ({ name: `New ${n}`, amount: n, ref: `REF-${n}` }),
  invalidRecord: { amount: 'not a number' },
  updateValues: { name: 'Renamed', amount: 99 },
  externalId: 'ref',
}

connectorContract('ledger connector in-process', {
  ...fixtures,
  capabilities: ['get', 'query', 'create', 'update', 'upsert', 'delete', 'batch', 'changes'],
  setup() {
    const sim = ledgerSimulator(seed())
    const connector = ledgerConnector({
      baseUrl: 'https://ledger.test',
      dispatcher: sim.dispatcher,
      retry: false,
    })
    return { connector, close: () => sim.close() }
  },
})

connectorContract('ledger connector over a loopback server', {
  ...fixtures,
  capabilities: ['get', 'query', 'create', 'update', 'upsert', 'delete', 'batch', 'changes'],
  async setup() {
    const sim = ledgerSimulator(seed())
    const server = await sim.listen()
    const connector = ledgerConnector({ baseUrl: server.url, retry: false })
    return { connector, close: () => sim.close() }
  },
})

connectorContract('read-only ledger connector', {
  ...fixtures,
  capabilities: ['get', 'query', 'changes'],
  setup() {
    const sim = ledgerSimulator(seed())
    const connector = readOnlyLedgerConnector({ baseUrl: 'https://ledger.test', dispatcher: sim.dispatcher })
    return { connector, sim, close: () => sim.close() }
  },
  async makeChange(fixture, n) {
    fixture.sim.data.put('Invoice', { name: `Changed ${n}`, amount: n })
  },
})
