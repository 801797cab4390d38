import { afterEach, describe, expect, it } from 'vitest'
import type { Connector } from '../connector/connector.js'
import { type ConnectorContractOptions, connectorChecks } from './connector-checks.js'
import { ledgerConnector } from './test-support/ledger-connector.js'
import { ledgerSimulator } from './test-support/ledger-simulator.js'

// The suite must catch broken connectors: each test breaks one rule and expects its check to fail.

const closing: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((item) => item.close()))
})

const options: ConnectorContractOptions = {
  setup: () => {
    throw new Error('not used')
  },
  capabilities: ['get', 'query', 'create', 'update', 'upsert', 'delete', 'batch', 'changes'],
  entity: 'Invoice',
  idField: 'id',
  existingId: 'L000001',
  missingId: 'L999999',
  newRecord: (n) => ({ name: `New ${n}`, amount: n, ref: `REF-${n}` }),
  invalidRecord: { amount: 'x' },
  updateValues: { name: 'Renamed' },
  externalId: 'ref',
}

function broken(override: (connector: Connector) => Partial<Connector>): Connector {
  const sim = ledgerSimulator({ Invoice: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] })
  const connector = ledgerConnector({
    baseUrl: 'https://ledger.test',
    dispatcher: sim.dispatcher,
    retry: false,
  })
  closing.push(connector, sim)
  return { ...connector, ...override(connector) }
}

const check = (name: string) => {
  const found = connectorChecks.find((candidate) => candidate.name.startsWith(name))
  if (found === undefined) throw new Error(`no check named ${name}`)
  return (connector: Connector) => found.run({ connector }, options)
}

describe('connectorChecks', () => {
  it('pass on the ledger connector they are written against', async () => {
    await check('changes resumed from any cursor')(broken(() => ({})))
  })

  it('catch changes that repeat the change a cursor points at', async () => {
    const connector = broken((inner) => ({
      async *changes(entity, from) {
        const all = []
        for await (const change of inner.changes(entity, {})) all.push(change)
        const at = all.findIndex((change) => change.cursor === from?.cursor)
        yield* all.slice(Math.max(0, at))
      },
    }))
    await expect(check('changes resumed from any cursor')(connector)).rejects.toThrow()
  })

  it('catch a create that throws on a refused record instead of reporting it', async () => {
    const connector = broken((inner) => ({
      async create(entity, records, writeOptions) {
        const results = await inner.create(entity, records, writeOptions)
        const failed = results.find((result) => !result.ok)
        if (failed && !failed.ok) throw failed.error
        return results
      },
    }))
    await expect(check('create reports a refused record')(connector)).rejects.toThrow()
  })

  it('catch a get that throws for a missing key', async () => {
    const connector = broken(() => ({
      get: async () => {
        throw Object.assign(new Error('not found'), { code: 'NOT_FOUND' })
      },
    }))
    await expect(check('get resolves to undefined')(connector)).rejects.toThrow()
  })

  it('catch a query that ignores limit', async () => {
    const connector = broken((inner) => ({ query: (entity) => inner.query(entity, {}) }))
    await expect(check('query stops after limit')(connector)).rejects.toThrow()
  })

  it('catch an undeclared operation that does not throw NOT_SUPPORTED', async () => {
    const connector = broken(() => ({
      capabilities: new Set(['get', 'query', 'create', 'update', 'upsert', 'delete', 'changes'] as const),
      batch: async () => [],
    }))
    await expect(
      connectorChecks[1]?.run({ connector }, { ...options, capabilities: [...connector.capabilities] }),
    ).rejects.toThrow(/batch did not fail/)
  })

  it('catch an error that is not a JunctionError', async () => {
    const connector = broken(() => ({
      capabilities: new Set(['get', 'query', 'create', 'update', 'upsert', 'delete', 'changes'] as const),
      batch: async () => {
        throw new TypeError('batch is not a function')
      },
    }))
    await expect(
      connectorChecks[1]?.run({ connector }, { ...options, capabilities: [...connector.capabilities] }),
    ).rejects.toThrow(/not a JunctionError/)
  })

  it('catch capabilities that differ from those the fixture lists', async () => {
    await expect(
      check('declares exactly')(broken(() => ({ capabilities: new Set(['get'] as const) }))),
    ).rejects.toThrow()
  })
})
