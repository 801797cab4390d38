import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { ValidationError } from '../errors/error-kinds.js'

/** Who or what acted: a service account, a user, or a model. */
export const auditActorSchema = z.object({
  type: z.enum(['service', 'user', 'model']),
  id: z.string().min(1),
})

/** A human approval, rejection or override of an AI decision. */
export const auditApprovalSchema = z.object({
  decision: z.enum(['approved', 'rejected', 'overridden']),
  by: z.string().min(1),
  at: z.coerce.date(),
  note: z.string().optional(),
})

/** One audit record: an operation on a system, an AI decision, or a change to identity links. */
export const auditEventSchema = z.object({
  id: z.string().min(1),
  time: z.coerce.date(),
  kind: z.enum(['operation', 'decision', 'approval', 'identity']),
  actor: auditActorSchema,
  tenant: z.string().optional(),
  system: z.string().optional(),
  connection: z.string().optional(),
  operation: z.string().min(1),
  entity: z.string().optional(),
  recordIds: z.array(z.string()).optional(),
  /** The input the operation or decision saw, already redacted by policy. */
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  model: z.object({ name: z.string().min(1), version: z.string().min(1) }).optional(),
  approval: auditApprovalSchema.optional(),
  /** On an approval event: the id of the decision event it approves, rejects or overrides. */
  decisionId: z.string().min(1).optional(),
  outcome: z.enum(['success', 'failure', 'partial', 'pending']),
  errorCode: z.string().optional(),
  retries: z.number().int().nonnegative().optional(),
  latencyMs: z.number().nonnegative().optional(),
  recordCount: z.number().int().nonnegative().optional(),
  correlationId: z.string().optional(),
  traceId: z.string().optional(),
  /** How long the record must be kept, e.g. `sox-7y`. */
  retentionClass: z.string().optional(),
})

/** A validated audit event. */
export type AuditEvent = z.output<typeof auditEventSchema>

/** What a caller supplies; `id` and `time` are filled in when absent. */
export type AuditEventInput = Omit<z.input<typeof auditEventSchema>, 'id' | 'time'> & {
  id?: string
  time?: Date | string
}

/** Builds and validates an audit event; a missing or malformed field throws a `ValidationError` here. */
export function createAuditEvent(input: AuditEventInput): AuditEvent {
  return parseAuditEvent({ id: randomUUID(), time: new Date(), ...input })
}

/** Validates an event built elsewhere (e.g. handed straight to a sink); throws a `ValidationError` naming each bad field. */
export function parseAuditEvent(value: unknown): AuditEvent {
  const result = auditEventSchema.safeParse(value)
  if (result.success) return result.data
  throw new ValidationError({
    message: `invalid audit event: ${result.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ')}`,
    details: result.error.issues.map((issue) => ({ path: issue.path.map(String), problem: issue.message })),
  })
}
