import type { EntityRecord } from '@junction/core'
import { type ConnectorContractOptions, connectorContract } from '@junction/core/testing/contracts'
import { servicenow } from './servicenow-connector.js'
import { type ServiceNowSimulatorOptions, servicenowSimulator } from './testing/index.js'

const EXISTING = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
const MISSING = 'ffffffffffffffffffffffffffffffff'

// A data policy makes short_description mandatory, so a record without one is refused (403).
const simulator = (options: ServiceNowSimulatorOptions = {}) =>
  servicenowSimulator({
    ...options,
    mandatory: { incident: ['short_description'] },
    tables: {
      incident: [
        { sys_id: EXISTING, number: 'INC0090001', short_description: 'Mail is down', urgency: '2' },
        { number: 'INC0090002', short_description: 'VPN drops' },
        { number: 'INC0090003', short_description: 'Printer jam' },
        { number: 'INC0090004', short_description: 'Laptop slow' },
      ],
    },
  })

const common: Omit<ConnectorContractOptions, 'setup'> = {
  capabilities: ['get', 'query', 'create', 'update', 'upsert', 'delete', 'batch', 'changes'],
  entity: 'incident',
  idField: 'sys_id',
  existingId: EXISTING,
  missingId: MISSING,
  newRecord: (n): EntityRecord => ({
    number: `INC00991${String(n).padStart(2, '0')}`,
    short_description: `Contract record ${n}`,
    urgency: '3',
  }),
  invalidRecord: { number: 'INC0099999', urgency: '1' },
  updateValues: { short_description: 'Mail is back', urgency: '1' },
  externalId: 'number',
  // Updates, creates and deletes alike, so resumed reads cross from the upserts into the deletes.
  async makeChange({ connector }, n) {
    const [created] = await connector.create('incident', [{ short_description: `Created ${n}` }])
    if (!created?.ok) throw new Error(`makeChange ${n}: the create failed`)
    const [changed] =
      n % 2 === 0
        ? await connector.delete('incident', [String(created.id)])
        : await connector.update('incident', [
            { id: EXISTING, values: { short_description: `Changed ${n}` } },
          ])
    if (!changed?.ok) throw new Error(`makeChange ${n}: the second write failed`)
  },
}

// Harsher than a real instance on purpose: unsorted reads come back in a new order every time; the clock
// moves 400 ms each time the instance reads it, so the changes checks straddle `sys_updated_on` seconds;
// one-row pages, one of them emptied by an ACL (the limit applies before ACLs, sheet §3.2).
connectorContract('servicenow over msw: shuffled reads, a moving clock, one-row pages, a hidden row', {
  ...common,
  setup() {
    let now = Date.parse('2026-03-01T08:00:00Z')
    const tick = () => {
      now += 400
      return new Date(now)
    }
    const sim = simulator({
      unorderedReads: 'shuffled',
      now: tick,
      hidden: (table, row) => table === 'incident' && row.number === 'INC0090002',
    })
    const connector = servicenow({
      instance: 'acme',
      auth: sim.auth,
      dispatcher: sim.dispatcher,
      pageSize: 1,
    })
    return { connector, close: () => sim.close() }
  },
})

// The other paths: small pages, offset paging and writes that return no body, over real HTTP.
connectorContract('servicenow over a loopback server, offset paging, no response bodies', {
  ...common,
  async setup() {
    const sim = simulator()
    const server = await sim.listen()
    const connector = servicenow({
      baseUrl: server.url,
      auth: sim.auth,
      pageSize: 2,
      paging: 'offset',
      skipResponseBody: true,
    })
    return { connector, close: () => sim.close() }
  },
})
