import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { type ServiceNowConnector, servicenow } from '@junction/connector-servicenow'
import {
  auditTrail,
  busSink,
  type CheckpointStore,
  ConfigError,
  type EntityRecord,
  isJunctionError,
  jsonlAudit,
  type MessageBus,
  type MetricsRecorder,
  parseAuditEvent,
  type Subscription,
  sync,
  TimeoutError,
  verifyAuditLog,
} from '@junction/core'
import { triageBackends } from './backends.js'
import { ASSIGNMENT_GROUPS, type AssignmentGroup, TRIAGE_MODEL } from './classifier.js'
import { decisionLedger } from './decision-ledger.js'
import { armFaults, type InjectedFault } from './fault-plan.js'
import { fieldValue } from './incident-fields.js'
import { type IncidentChange, type PublishedDecision, triageHandler } from './triage-handler.js'
import { triageInstance } from './triage-instance.js'
import { type TriageCounts, TriageTally } from './triage-tally.js'
import { decisionIdOf, noteMarker } from './work-note.js'

/** The topic the incident change feed is published on. */
export const INCIDENT_TOPIC = 'servicenow.incident.changes'

/** The topic the triage publishes its decisions back onto, for whoever else acts on them. */
export const DECISION_TOPIC = 'incident-triage.decisions'

/** How a run is set up. */
export interface TriageRunOptions {
  /** The JSONL audit trail to write (hash-chained; verified at the end). */
  auditFile: string
  /** Use the Redis bus, checkpoints and ledger at this URL instead of the embedded ones. */
  redisUrl?: string | undefined
  /** Progress lines, for a terminal. */
  log?: (line: string) => void
  /** Records every request of the run's connectors (the demo's per-system figures). */
  metrics?: MetricsRecorder | undefined
  /**
   * How long a delivered message may stay unacknowledged before the bus hands it over again (default
   * 400 ms, short so the example's redeliveries happen quickly; keep it above the slowest handler).
   */
  redeliverAfterMs?: number
}

/** One incident as the run left it in the instance. */
export interface TriagedIncident {
  number: string
  sysId: string
  /** The assignment group's name, or "" when none. */
  group: string
  /** Work-note entries in the incident's journal. */
  notes: number
  /** Whether the (single) note carries this model version's decision marker. */
  marked: boolean
}

/** What a run did, for the printed report and for its test. */
export interface TriageReport {
  backend: 'memory' | 'redis'
  model: string
  incidents: TriagedIncident[]
  /** Incidents that got their triage note in this run. */
  triaged: number
  /** Work-note entries written, counted in the instance's journals. */
  notesWritten: number
  counts: TriageCounts
  /** Requests the connectors retried on their own (GETs after a 503). */
  retries: number
  /** Times the feed was started: the crashed first run, its resume, and the poll that sees the write-backs. */
  feedRuns: number
  /** Decisions published back onto `DECISION_TOPIC` and received by a subscriber: messages, and distinct decision ids. */
  decisions: { received: number; distinct: number; byIncident: Record<string, string> }
  faults: readonly InjectedFault[]
  /** Requests the simulator answered with an injected fault. */
  faultsApplied: number
  /** Requests that reached the simulated instance. */
  apiCalls: number
  audit: { events: number; decisions: number; operations: number; verified: boolean; file: string }
}

const CONSUMERS = ['triage-1', 'triage-2']

/**
 * The event-driven triage end to end: a simulated ServiceNow instance on loopback, its incident change
 * feed synced onto a bus, two consumers of one group classifying each incident and writing back its
 * assignment group and a work note, under injected faults that make deliveries repeat. Then the feed
 * is polled once more, which brings the triage's own write-backs back as changes.
 */
export async function runTriage(options: TriageRunOptions): Promise<TriageReport> {
  const log = options.log ?? (() => {})
  const redeliverAfterMs = options.redeliverAfterMs ?? 400
  const sim = triageInstance()
  const plan = armFaults(sim)
  const server = await sim.listen()
  const audit = jsonlAudit(options.auditFile)
  const backends = triageBackends(options.redisUrl)
  const connection = {
    baseUrl: server.url,
    auth: sim.auth,
    audit,
    actor: 'svc-triage',
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  }
  const itsm = servicenow({ ...connection, name: 'itsm' })
  // Journal fields read as "" in stored values; their display value holds the entries (sheet §2.3).
  const journal = servicenow({ ...connection, name: 'itsm-journal', displayValue: 'true' })
  let retries = 0
  for (const connector of [itsm, journal]) connector.events.on('retry', () => retries++)
  const subscriptions: Subscription[] = []
  const tally = new TriageTally()
  try {
    log(`simulated ServiceNow on ${server.url}; ${backends.kind} bus, checkpoints and ledger`)
    const handle = triageHandler({
      itsm,
      journal,
      // The lease must run out before the bus redelivers, so a failed attempt never blocks the next.
      ledger: decisionLedger(backends.store, Math.floor(redeliverAfterMs * 0.75)),
      trail: auditTrail(audit, { actor: { type: 'service', id: 'svc-triage' }, system: 'servicenow' }),
      groupIds: await groupIds(itsm),
      afterWrite: (number) => plan.afterWrite(number),
      publishDecision: async (decision) => {
        await backends.bus.publish(DECISION_TOPIC, decision, { headers: { decisionId: decision.decisionId } })
      },
    })
    // Another system's view of the decisions: it keeps one per decision id, as at-least-once asks.
    const decisions = new Map<string, PublishedDecision>()
    let decisionsReceived = 0
    subscriptions.push(
      await backends.bus.subscribe<PublishedDecision>(
        DECISION_TOPIC,
        async (message) => {
          decisionsReceived++
          decisions.set(message.payload.decisionId, message.payload)
        },
        { group: 'decision-log', redeliverAfterMs },
      ),
    )
    for (const consumer of CONSUMERS) {
      subscriptions.push(
        await backends.bus.subscribe<IncidentChange>(
          INCIDENT_TOPIC,
          async (message, context) => {
            tally.delivered(message.deliveryCount)
            tally.handled(message.id, await handle(message, `${context.consumer}:${message.id}`))
          },
          {
            group: 'incident-triage',
            consumer,
            redeliverAfterMs,
            maxDeliveries: 5,
            onEvent: (event) => {
              if (event.type === 'failed') {
                tally.failed()
                log(`  ${consumer}: ${event.error.code} on message ${event.message.id}, left for redelivery`)
              }
              if (event.type === 'dead-lettered') tally.deadLettered(event.message.id)
            },
          },
        ),
      )
    }

    const checkpoints = plan.checkpoints(backends.checkpoints)
    let feedRuns = 0
    const feed = async () => {
      feedRuns++
      const published = await incidentFeed(itsm, backends.bus, checkpoints, tally)
      log(`feed: ${published} changes published`)
    }
    try {
      await feed()
    } catch (error) {
      // As a supervisor restarting the feed would: it resumes from the last saved checkpoint.
      if (!isJunctionError(error)) throw error
      log(`feed: ${error.message}; resuming from the last checkpoint`)
      await feed()
    }
    await tally.drained(30_000)
    log('feed: polled again; the triage write-backs come back as changes')
    await feed()
    await tally.drained(30_000)
    await waitUntil(
      () => decisions.size >= tally.counts.outcomes.noted + tally.counts.outcomes.recovered,
      10_000,
    )
    await Promise.all(subscriptions.map((subscription) => subscription.close()))

    const rows = sim.tables.rows('incident').sort((a, b) => (a.number ?? '').localeCompare(b.number ?? ''))
    const incidents = rows.map((row): TriagedIncident => {
      const entries = sim.tables.journal('incident', row.sys_id ?? '', 'work_notes')
      const group = sim.tables.lookup('sys_user_group', row.assignment_group ?? '')?.name ?? ''
      return {
        number: row.number ?? '',
        sysId: row.sys_id ?? '',
        group,
        notes: entries.length,
        marked:
          entries.length === 1 && entries[0]?.includes(noteMarker(decisionIdOf(row.sys_id ?? ''))) === true,
      }
    })
    await audit.flush()
    const events = (await readFile(options.auditFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => parseAuditEvent(JSON.parse(line)))
    const verification = await verifyAuditLog(options.auditFile)
    return {
      backend: backends.kind,
      model: `${TRIAGE_MODEL.name} ${TRIAGE_MODEL.version}`,
      incidents,
      triaged: incidents.filter((incident) => incident.marked).length,
      notesWritten: incidents.reduce((sum, incident) => sum + incident.notes, 0),
      counts: tally.counts,
      retries,
      feedRuns,
      decisions: {
        received: decisionsReceived,
        distinct: decisions.size,
        byIncident: Object.fromEntries(
          [...decisions.values()].map((decision) => [decision.incident, decision.group]),
        ),
      },
      faults: plan.faults,
      faultsApplied: sim.faults.count,
      apiCalls: sim.calls.length,
      audit: {
        events: events.length,
        decisions: events.filter((event) => event.kind === 'decision').length,
        operations: events.filter((event) => event.kind === 'operation').length,
        verified: verification.ok,
        file: options.auditFile,
      },
    }
  } finally {
    await Promise.all(subscriptions.map((subscription) => subscription.close()))
    await backends.close()
    await itsm.close()
    await journal.close()
    await audit.close()
    await sim.close()
  }
}

/**
 * One run of the incident change feed onto the bus (core's `sync` into `busSink`), from the saved
 * checkpoint. Publishing is at least once: a batch published before a crash and not checkpointed is
 * published again by the next run. Resolves to the changes it published.
 */
async function incidentFeed(
  itsm: ServiceNowConnector,
  bus: MessageBus,
  checkpoints: CheckpointStore,
  tally: TriageTally,
): Promise<number> {
  const publish = busSink<EntityRecord>(bus, INCIDENT_TOPIC)
  let published = 0
  await sync({
    source: itsm,
    entity: 'incident',
    checkpoints,
    batchSize: 5,
    progressBar: false,
    sink: {
      async write(changes, context) {
        await publish.write(changes, context)
        published += changes.length
        tally.published(changes.length)
      },
    },
  })
  return published
}

// The sys_ids of the model's groups, read once: a group missing from the instance stops the run here.
async function groupIds(itsm: ServiceNowConnector): Promise<Map<AssignmentGroup, string>> {
  const ids = new Map<AssignmentGroup, string>()
  for await (const row of itsm.query('sys_user_group', { select: ['sys_id', 'name'] })) {
    const name = fieldValue(row, 'name') as AssignmentGroup
    if (ASSIGNMENT_GROUPS.includes(name)) ids.set(name, fieldValue(row, 'sys_id'))
  }
  const missing = ASSIGNMENT_GROUPS.filter((name) => !ids.has(name))
  if (missing.length > 0) {
    throw new ConfigError({ message: `sys_user_group has no group named ${missing.join(', ')}` })
  }
  return ids
}

// The decision log is a separate consumer group: its deliveries trail the triage's by a poll at most.
async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) {
      throw new TimeoutError({
        message: `incident triage: the decision log did not catch up within ${timeoutMs} ms`,
      })
    }
    await sleep(20)
  }
}
