import { afterEach, describe, expect, it, vi } from 'vitest'
import { memoryCheckpoints } from '../checkpoints/store-checkpoints.js'
import { sync } from '../sync/sync.js'
import { ledgerConnector } from '../testing/test-support/ledger-connector.js'
import { ledgerSimulator } from '../testing/test-support/ledger-simulator.js'
import { busSink } from './bus-sink.js'
import { memoryBus } from './memory-bus.js'
import type { BusMessage } from './message-bus.js'

const closing: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((item) => item.close()))
})

describe('busSink', () => {
  it('publishes each synced change onto the topic, keyed in its headers', async () => {
    const sim = ledgerSimulator({ Incident: [{ name: 'Printer on fire' }, { name: 'VPN down' }] })
    const source = ledgerConnector({ baseUrl: 'https://ledger.test', dispatcher: sim.dispatcher })
    const bus = memoryBus()
    const checkpoints = memoryCheckpoints()
    closing.push(source, sim, bus, checkpoints)
    const seen: BusMessage[] = []
    await bus.subscribe('incidents', (message) => void seen.push(message), { group: 'triage' })
    sim.data.remove('Incident', 'L000001')
    await sync({
      source,
      entity: 'Incident',
      sink: busSink(bus, 'incidents'),
      checkpoints,
      progressBar: false,
    })
    await vi.waitFor(() => expect(seen).toHaveLength(2))
    expect(seen.map((message) => [message.headers.key, (message.payload as { kind: string }).kind])).toEqual([
      ['L000002', 'upsert'],
      ['L000001', 'delete'],
    ])
    expect(seen[0]?.payload).toMatchObject({ entity: 'Incident', value: { name: 'VPN down' } })
  })
})
