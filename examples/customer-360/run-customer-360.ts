import {
  type AuditSink,
  type IdentityStore,
  identityResolver,
  type MetricsRecorder,
  memoryAudit,
  memoryIdentityStore,
  redisIdentityStore,
  salesforceIdFormat,
  sapKeyFormat,
  serviceNowSysIdFormat,
} from '@junction/core'
import type { Customer360Report } from './customer-360-report.js'
import { matchRecordOf } from './identity/match-record-of.js'
import { customerMatchRules } from './identity/match-rules.js'
import { mergeCustomers } from './identity/merged-customer.js'
import { resolveIdentities } from './identity/resolve-identities.js'
import { readCustomers } from './read-customers.js'
import type { SeedCompany } from './seed/companies.js'
import { systemSeeds } from './seed/system-records.js'
import { startSimulatedSystems } from './simulated-systems.js'

/** Options for `runCustomer360`. */
export interface Customer360Options {
  /** Keep the identity links in Redis at this URL instead of in memory. */
  redisUrl?: string
  /** The Redis key prefix (default `junction:example:customer-360:`): a rerun meets its earlier links. */
  keyPrefix?: string
  /** The companies seeded into the simulators (default the example's forty). */
  companies?: readonly SeedCompany[]
  /** The fuzzy name rule's least similarity, among records sharing a postcode (default 0.9); `false` turns it off. */
  fuzzyThreshold?: number | false
  /** Matches below this combined confidence are not acted on (default 0.6: a fuzzy name alone just passes at 0.9). */
  minConfidence?: number
  /** Records every request of the three connectors. */
  metrics?: MetricsRecorder
  /** Receives the connectors' audit events as they happen and the identity events once resolved. */
  audit?: AuditSink
}

const ID_FORMATS = { salesforce: salesforceIdFormat, sap: sapKeyFormat, servicenow: serviceNowSysIdFormat }

const openStore = (options: Customer360Options): IdentityStore =>
  options.redisUrl === undefined
    ? memoryIdentityStore({ idFormats: ID_FORMATS })
    : redisIdentityStore({
        url: options.redisUrl,
        keyPrefix: options.keyPrefix ?? 'junction:example:customer-360:',
        idFormats: ID_FORMATS,
      })

/**
 * Customer 360 by entity resolution: seeds simulated Salesforce, SAP and ServiceNow systems (loopback)
 * with overlapping customers, reads each through its connector, maps each record to the canonical
 * Customer, resolves identities with core's identity layer and returns the merged view, the
 * explanation of every link and the conflicts.
 */
export async function runCustomer360(options: Customer360Options = {}): Promise<Customer360Report> {
  const systems = await startSimulatedSystems(systemSeeds(options.companies), {
    metrics: options.metrics,
    audit: options.audit,
  })
  const store = openStore(options)
  const audit = memoryAudit()
  try {
    const { customers, refused, read } = await readCustomers(systems)
    const resolver = identityResolver({
      store,
      audit,
      rules: customerMatchRules(options.fuzzyThreshold ?? 0.9),
      matchOptions: { minConfidence: options.minConfidence ?? 0.6 },
      actor: { type: 'service', id: 'svc-customer-360' },
    })
    const bySystem = (['salesforce', 'sap', 'servicenow'] as const).map((system) =>
      customers.filter((sourced) => sourced.ref.system === system),
    )
    const ordered = bySystem.flat()
    const resolution = await resolveIdentities(
      resolver,
      bySystem.map((group) => group.map(matchRecordOf)),
    )
    const merged = mergeCustomers(ordered, resolution.entities).sort((left, right) =>
      left.customer.name.localeCompare(right.customer.name),
    )
    for (const event of audit.events) await options.audit?.write(event)
    const linkChanges = audit.events.reduce((sum, event) => {
      const changes = (event.output as { changes?: unknown[] } | undefined)?.changes
      return sum + (event.outcome === 'success' && Array.isArray(changes) ? changes.length : 0)
    }, 0)
    return {
      store: options.redisUrl === undefined ? 'memory' : 'redis',
      urls: systems.urls,
      read,
      refused,
      customers: merged,
      links: resolution.links,
      conflicts: resolution.conflicts,
      ambiguous: resolution.ambiguous,
      stats: {
        comparisons: resolution.comparisons,
        crossProduct: resolution.crossProduct,
        linkChanges,
        auditEvents: audit.events.length,
      },
    }
  } finally {
    await store.close()
    await systems.close()
  }
}
