import type { ServiceNowSimulator } from '@junction/connector-servicenow/testing'
import { type CheckpointStore, ConfigError, JunctionError } from '@junction/core'

/** One fault the run injects, for the report. */
export interface InjectedFault {
  target: string
  fault: string
}

/** The faults of a run, and the crash hook the triage handler calls after a write-back. */
export interface FaultPlan {
  readonly faults: readonly InjectedFault[]
  /** Throws once, after the write-back of the planned incident and before it is acknowledged. */
  afterWrite(incidentNumber: string): void
  /** The sync's checkpoints, whose first save fails: the feed dies after publishing a batch. */
  checkpoints(store: CheckpointStore): CheckpointStore
}

/**
 * Arms the simulator with the faults that make deliveries repeat: a write whose response is lost, a
 * write refused with 503, a handler crash between the write and the ack, 503s on reads (which the
 * connector retries), and a change feed that dies between publishing and checkpointing (so a batch is
 * published twice).
 */
export function armFaults(sim: ServiceNowSimulator): FaultPlan {
  const sysIdOf = (number: string): string => {
    const row = sim.tables.rows('incident').find((incident) => incident.number === number)
    if (row?.sys_id === undefined)
      throw new ConfigError({ message: `fault plan: no seeded incident ${number}` })
    return row.sys_id
  }
  const incident = (number: string) => `/api/now/table/incident/${sysIdOf(number)}`
  sim.faults.next({ kind: 'http-503', match: { method: 'GET', path: '/api/now/table/incident' } })
  sim.faults.next({ kind: 'reset-mid-body', match: { method: 'PATCH', path: incident('INC0010002') } })
  sim.faults.next({ kind: 'http-503', match: { method: 'PATCH', path: incident('INC0010004') } })
  sim.faults.next({ kind: 'http-503', match: { method: 'GET', path: incident('INC0010008') } })
  const crashAfter = new Set(['INC0010006'])
  let saves = 0
  return {
    faults: [
      { target: 'change feed, first page', fault: '503 (the connector retries the GET)' },
      {
        target: 'change feed, first checkpoint',
        fault: 'save fails after the batch was published (replayed)',
      },
      { target: 'INC0010002 write-back', fault: 'connection reset mid-response: written, response lost' },
      { target: 'INC0010004 write-back', fault: '503: not written' },
      { target: 'INC0010006 handler', fault: 'crash after the write-back, before the ack' },
      { target: 'INC0010008 journal read', fault: '503 (the connector retries the GET)' },
    ],
    afterWrite(incidentNumber) {
      if (!crashAfter.delete(incidentNumber)) return
      throw new JunctionError({
        code: 'SIMULATED_CRASH',
        message: `the triage consumer crashed after writing back ${incidentNumber}, before acknowledging it`,
      })
    },
    checkpoints(store) {
      return {
        ...store,
        async save(key, checkpoint) {
          saves++
          if (saves === 1) {
            throw new JunctionError({
              code: 'SIMULATED_CRASH',
              message: 'the change feed died after publishing its first batch, before saving its checkpoint',
            })
          }
          await store.save(key, checkpoint)
        },
      }
    },
  }
}
