import { createHash } from 'node:crypto'
import { TRIAGE_MODEL, type TriageDecision } from './classifier.js'

/**
 * The id of the one triage decision an incident gets from this model version: a hash of the incident's
 * sys_id and the model's name and version. Every delivery of every change of the incident computes the
 * same id, so it is the idempotency key of the write-back; a new model version triages again.
 */
export function decisionIdOf(sysId: string): string {
  return createHash('sha256')
    .update(`${sysId}\u0000${TRIAGE_MODEL.name}\u0000${TRIAGE_MODEL.version}`)
    .digest('hex')
    .slice(0, 20)
}

/** The marker a work note carries, so the instance itself can say whether the note was written. */
export function noteMarker(decisionId: string): string {
  return `[triage:${decisionId}]`
}

/** The work note written with the assignment: what was decided, by which model, and its marker. */
export function workNoteText(decisionId: string, decision: TriageDecision): string {
  const why = decision.matched.length === 0 ? 'no known terms' : `matched ${decision.matched.join(', ')}`
  const route = decision.fallback
    ? `No group won clearly (${why}); routed to ${decision.group} for manual triage.`
    : `Assigned to ${decision.group} (${why}).`
  return [
    `Auto-triage by ${TRIAGE_MODEL.name} ${TRIAGE_MODEL.version}, confidence ${decision.confidence.toFixed(2)}.`,
    route,
    noteMarker(decisionId),
  ].join('\n')
}

/** Whether an incident's work notes (the journal's display value) already hold this decision's note. */
export function hasNote(workNotes: unknown, decisionId: string): boolean {
  return typeof workNotes === 'string' && workNotes.includes(noteMarker(decisionId))
}
