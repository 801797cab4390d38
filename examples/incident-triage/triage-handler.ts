import type { ServiceNowConnector } from '@junction/connector-servicenow'
import {
  type AuditTrail,
  type BusMessage,
  type EntityRecord,
  JunctionError,
  type SinkChange,
} from '@junction/core'
import { type AssignmentGroup, classifyIncident, TRIAGE_MODEL, type TriageDecision } from './classifier.js'
import type { DecisionLedger } from './decision-ledger.js'
import { fieldValue } from './incident-fields.js'
import { decisionIdOf, hasNote, workNoteText } from './work-note.js'

/** What `busSink` publishes for each change of the feed. */
export type IncidentChange = SinkChange<EntityRecord> & { entity: string }

/**
 * What handling one delivery did: `noted` wrote the assignment and note; `recovered` found the note
 * already in the journal (an earlier attempt wrote it and then lost its response or crashed);
 * `duplicate` found the decision noted in the ledger (a redelivery, a replayed publish, or the echo of
 * the triage's own write); `already-assigned` left an incident a person had assigned alone; `gone` and
 * `deleted` had nothing left to triage.
 */
export type TriageOutcome = 'noted' | 'recovered' | 'duplicate' | 'already-assigned' | 'gone' | 'deleted'

/** Handles one delivery; `owner` names the attempt (consumer and message) in the lease it takes. */
export type TriageHandler = (message: BusMessage<IncidentChange>, owner: string) => Promise<TriageOutcome>

/** What the triage subscriber needs. */
export interface TriageHandlerOptions {
  /** Writes the assignment and the note (stored values). */
  itsm: ServiceNowConnector
  /** Reads an incident's work notes: a connector with `displayValue: 'true'` (journals read "" otherwise). */
  journal: ServiceNowConnector
  ledger: DecisionLedger
  trail: AuditTrail
  /** `sys_user_group` sys_ids by group name. */
  groupIds: ReadonlyMap<AssignmentGroup, string>
  /** Called after a write-back succeeded and before it is recorded: where the example injects a crash. */
  afterWrite?: (incidentNumber: string) => void | Promise<void>
  /**
   * Publishes the decision back onto the bus for other subscribers, once its note is in the journal and
   * before the ledger records it: at least once, so consumers tell repeats apart by `decisionId`.
   */
  publishDecision?: (decision: PublishedDecision) => Promise<void>
}

/** A triage decision as it goes back onto the bus. */
export interface PublishedDecision extends TriageDecision {
  decisionId: string
  incident: string
  sysId: string
  model: string
}

/**
 * The subscriber: classifies a changed incident and writes its assignment group and one work note
 * back, exactly once per incident and model version however often the change is delivered.
 *
 * At-least-once delivery means every step can run again, so the handler checks before it acts:
 * 1. a decision the ledger has as `noted` is done: acknowledged with no API call;
 * 2. a lease on the decision id keeps a second consumer out while one attempt runs;
 * 3. the instance's journal is read: an earlier attempt may have written the note and then lost its
 *    response or crashed before the ledger heard of it; the note's marker says so;
 * 4. only then is the decision audited (once: the ledger keeps it) and the PATCH sent. A PATCH whose
 *    outcome is unknown is not retried here, nor by the connector (a lost response must not become a
 *    second journal entry): the handler throws and the bus redelivers, which starts again at step 1;
 * 5. with the note written, the decision is published back onto the bus, then the ledger notes it.
 */
export function triageHandler(options: TriageHandlerOptions): TriageHandler {
  const { itsm, journal, ledger, trail, groupIds } = options
  return async (message, owner) => {
    const change = message.payload
    if (change.kind === 'delete') return 'deleted'
    const incident = change.value
    const sysId = change.sourceId
    const decisionId = decisionIdOf(sysId)
    const entry = await ledger.get(decisionId)
    if (entry?.state === 'noted') return 'duplicate'
    if (entry === undefined && fieldValue(incident, 'assignment_group') !== '') return 'already-assigned'
    if (!(await ledger.lease(decisionId, owner))) {
      throw new JunctionError({
        code: 'TRIAGE_BUSY',
        message: `incident ${fieldValue(incident, 'number')}: another attempt holds its triage lease; redelivered later`,
        retryable: true,
      })
    }
    const current = await journal.get('incident', sysId, { correlationId: decisionId })
    if (current === undefined) return 'gone'
    const published = (decision: TriageDecision) =>
      options.publishDecision?.({
        ...decision,
        decisionId,
        incident: fieldValue(incident, 'number'),
        sysId,
        model: `${TRIAGE_MODEL.name} ${TRIAGE_MODEL.version}`,
      })
    if (hasNote(current.work_notes, decisionId)) {
      const decision = entry?.decision ?? classifyIncident(inputOf(incident))
      await published(decision)
      await ledger.noted(decisionId, decision, entry?.auditEventId)
      return 'recovered'
    }
    const decision = entry?.decision ?? classifyIncident(inputOf(incident))
    let auditEventId = entry?.auditEventId
    if (entry === undefined) {
      const event = await trail.decision({
        model: TRIAGE_MODEL.name,
        version: TRIAGE_MODEL.version,
        operation: 'triage',
        entity: 'incident',
        recordIds: [sysId],
        input: snapshotOf(incident),
        output: { decisionId, ...decision },
        correlationId: decisionId,
      })
      auditEventId = event.id
      await ledger.decided(decisionId, decision, auditEventId)
    }
    const groupId = groupIds.get(decision.group)
    const [result] = await itsm.update(
      'incident',
      [{ id: sysId, values: { assignment_group: groupId, work_notes: workNoteText(decisionId, decision) } }],
      { correlationId: decisionId },
    )
    if (result !== undefined && !result.ok) throw result.error
    await options.afterWrite?.(fieldValue(incident, 'number'))
    await published(decision)
    await ledger.noted(decisionId, decision, auditEventId)
    return 'noted'
  }
}

function inputOf(incident: EntityRecord) {
  return {
    shortDescription: fieldValue(incident, 'short_description'),
    description: fieldValue(incident, 'description'),
  }
}

// What the audit trail keeps of the incident the model saw: enough to replay the decision.
function snapshotOf(incident: EntityRecord): Record<string, string> {
  return Object.fromEntries(
    ['number', 'short_description', 'description', 'category', 'priority', 'sys_updated_on'].map((field) => [
      field,
      fieldValue(incident, field),
    ]),
  )
}
