import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { ValidationError } from '../errors/error-kinds.js'
import { type AuditEvent, auditActorSchema, createAuditEvent } from './audit-event.js'
import type { AuditSink } from './audit-sink.js'
import type { RedactionPolicy } from './redaction-policy.js'

/** Options for `auditTrail`: who records, for which tenant, and how snapshots are redacted. */
export interface AuditTrailOptions {
  /** The service account (or user) on whose behalf decisions are made. */
  actor: z.input<typeof auditActorSchema>
  tenant?: string
  /** The system the decisions concern, if one. */
  system?: string
  /** Applied to every `input` and `output` before the event is written. */
  policy?: RedactionPolicy
  /** Retention class for every event, e.g. `sox-7y`; a decision may set its own. */
  retentionClass?: string
}

/** An AI decision to record. */
export interface DecisionRecord {
  /** The model's name, e.g. `lead-score`. */
  model: string
  /** The model's version, e.g. `2026.11`. */
  version: string
  /** What the model saw (redacted by the trail's policy). Required: a decision without its input cannot be audited. */
  input: unknown
  /** What the model decided (redacted by the trail's policy). */
  output: unknown
  /** Defaults to `decision`. */
  operation?: string
  entity?: string
  recordIds?: string[]
  /** Defaults to `success`; `pending` when a human must approve it first. */
  outcome?: AuditEvent['outcome']
  latencyMs?: number
  correlationId?: string
  traceId?: string
  retentionClass?: string
}

/** A human's approval, rejection or override of a recorded decision. */
export interface ApprovalRecord {
  /** The `id` of the decision event (returned by `decision()`). */
  decisionId: string
  /** Who decided, e.g. an email or user id. */
  by: string
  decision: 'approved' | 'rejected' | 'overridden'
  note?: string
  /** When the human decided (default now). */
  at?: Date
  /** For an override: what replaced the model's output (redacted by the trail's policy). */
  output?: unknown
  correlationId?: string
}

/** Records AI decisions and human approvals to a sink. */
export interface AuditTrail {
  /** Records a decision; resolves to the written event (its `id` is what an approval refers to). */
  decision(record: DecisionRecord): Promise<AuditEvent>
  /** Records an approval, rejection or override of a decision. */
  approval(record: ApprovalRecord): Promise<AuditEvent>
}

const optionsSchema = z.object({
  actor: auditActorSchema,
  tenant: z.string().min(1).optional(),
  system: z.string().min(1).optional(),
  policy: z
    .custom<RedactionPolicy>((value) => typeof (value as RedactionPolicy | undefined)?.event === 'function')
    .optional(),
  retentionClass: z.string().min(1).optional(),
})

/**
 * A helper for recording AI decisions with their input, output, model name and version, and the
 * human approvals that follow. A record missing a required field (model, version, input, approver…)
 * rejects with a `ValidationError` naming it, and nothing is written.
 */
export function auditTrail(sink: AuditSink, options: AuditTrailOptions): AuditTrail {
  const parsed = parseOptions(optionsSchema, options, 'auditTrail')
  const redact = (event: AuditEvent): AuditEvent => parsed.policy?.event(event) ?? event
  const common = { tenant: parsed.tenant, system: parsed.system, retentionClass: parsed.retentionClass }

  const record = async (event: AuditEvent): Promise<AuditEvent> => {
    const redacted = redact(event)
    await sink.write(redacted)
    return redacted
  }

  return {
    async decision(decision) {
      if (decision.input === undefined) {
        throw new ValidationError({
          message: 'invalid audit event: input: a decision is recorded with the input it saw',
          details: [{ path: ['input'], problem: 'required' }],
        })
      }
      return record(
        createAuditEvent({
          ...common,
          kind: 'decision',
          actor: parsed.actor,
          operation: decision.operation ?? 'decision',
          entity: decision.entity,
          recordIds: decision.recordIds,
          model: { name: decision.model, version: decision.version },
          input: decision.input,
          output: decision.output,
          outcome: decision.outcome ?? 'success',
          latencyMs: decision.latencyMs,
          correlationId: decision.correlationId,
          traceId: decision.traceId,
          retentionClass: decision.retentionClass ?? parsed.retentionClass,
        }),
      )
    },
    async approval(approval) {
      return record(
        createAuditEvent({
          ...common,
          kind: 'approval',
          actor: { type: 'user', id: approval.by },
          operation: 'approval',
          decisionId: approval.decisionId,
          approval: {
            decision: approval.decision,
            by: approval.by,
            at: approval.at ?? new Date(),
            note: approval.note,
          },
          output: approval.output,
          outcome: 'success',
          correlationId: approval.correlationId,
        }),
      )
    },
  }
}
