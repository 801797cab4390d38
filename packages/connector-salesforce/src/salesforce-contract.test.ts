import type { EntityRecord } from '@junction/core'
import { type ConnectorContractOptions, connectorContract } from '@junction/core/testing/contracts'
import { type SalesforceOptions, salesforce } from './index.js'
import { salesforceSimulator } from './testing/index.js'
import { withChecksum } from './testing/salesforce-ids.js'

const EXISTING = withChecksum('0015g00000CNTR1')
const MISSING = withChecksum('0015g00000ZZZZZ')

// Account with a custom external-id field, as an org set up for upserts from another system has.
const simulator = (now?: () => Date) =>
  salesforceSimulator({
    fields: { Account: { Ext_Key__c: { externalId: true } } },
    records: {
      Account: [
        { Id: EXISTING.slice(0, 15), Name: 'Acme', Industry: 'Banking', Ext_Key__c: 'ACC-0001' },
        { Name: 'Globex', Industry: 'Energy', Ext_Key__c: 'ACC-0002' },
        { Name: 'Initech', Industry: 'Technology', Ext_Key__c: 'ACC-0003' },
        { Name: 'Umbrella', Industry: 'Healthcare', Ext_Key__c: 'ACC-0004' },
      ],
    },
    ...(now === undefined ? {} : { now }),
  })

// Each tick of the org's clock moves it 400 ms, so changes straddle `SystemModstamp` seconds and also
// share them (ties broken by Id).
const movingClock = () => {
  let now = Date.parse('2026-03-01T08:00:00Z')
  return () => {
    now += 400
    return new Date(now)
  }
}

const common: Omit<ConnectorContractOptions, 'setup'> = {
  capabilities: ['get', 'query', 'create', 'update', 'upsert', 'delete', 'batch', 'changes'],
  entity: 'Account',
  idField: 'Id',
  existingId: EXISTING,
  missingId: MISSING,
  newRecord: (n): EntityRecord => ({
    Name: `Contract account ${n}`,
    Industry: 'Retail',
    Ext_Key__c: `ACC-9${String(n).padStart(3, '0')}`,
  }),
  // Account.Name is required: Salesforce refuses it with REQUIRED_FIELD_MISSING.
  invalidRecord: { Industry: 'No name', Ext_Key__c: 'ACC-BAD' },
  updateValues: { Name: 'Acme Renamed', Industry: 'Energy' },
  externalId: 'Ext_Key__c',
}

const connector = (options: Omit<SalesforceOptions, 'auth'>, auth: SalesforceOptions['auth']) =>
  salesforce({ ...options, auth, retry: false, lockRetryDelayMs: 0, bulk: { pollIntervalMs: 0 } })

connectorContract('salesforce over msw, Collections writes and a moving clock', {
  ...common,
  setup() {
    const sim = simulator(movingClock())
    return { connector: connector({ dispatcher: sim.dispatcher }, sim.auth), close: () => sim.close() }
  },
})

// Every write of two records or more goes through a Bulk API 2.0 ingest job instead.
connectorContract('salesforce over msw, Bulk API 2.0 writes', {
  ...common,
  setup() {
    const sim = simulator()
    return {
      connector: connector({ dispatcher: sim.dispatcher, bulkThreshold: 1 }, sim.auth),
      close: () => sim.close(),
    }
  },
})

connectorContract('salesforce over a loopback server', {
  ...common,
  async setup() {
    const sim = simulator()
    const server = await sim.listen()
    return {
      connector: connector({ loginUrl: server.url }, sim.auth),
      close: () => sim.close(),
    }
  },
})
