import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { AuditTrail } from '../audit/audit-trail.js'
import { hasMethods } from '../config/has-methods.js'
import { parseOptions } from '../config/parse-options.js'
import { ConflictError, NotFoundError, ValidationError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import type { KeyValueStore } from '../stores/key-value-store.js'
import { writeBack } from './write-back.js'
import type { WriteBackResult, WriteBackTarget } from './write-back-target.js'

/** Where a write-back request stands. `approved` means approved but not (yet fully) written. */
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'written'

/** One record's outcome at one target, as the request keeps it (the error reduced to code and message). */
export interface StoredWriteOutcome {
  index: number
  ok: boolean
  id?: string | undefined
  created?: boolean | undefined
  error?: { code: string; message: string } | undefined
}

/** A write-back waiting for (or past) a human's decision, as persisted. */
export interface ApprovalRequest<T> {
  id: string
  status: ApprovalStatus
  records: T[]
  /** Names of the targets the records go to once approved. */
  targets: string[]
  /** The audit decision event this request answers to; approvals refer to it. */
  decisionId: string
  requestedBy: string
  requestedAt: Date
  note?: string | undefined
  decidedBy?: string | undefined
  decidedAt?: Date | undefined
  decisionNote?: string | undefined
  /** Per target, per record, once written. */
  outcomes?: Record<string, StoredWriteOutcome[]> | undefined
}

/** What to submit for approval. */
export interface SubmitOptions<T> {
  records: T[]
  /** Who asks (a service or a user). */
  requestedBy: string
  /** Target names (default every target of the gate). */
  targets?: string[]
  note?: string
  /** An existing decision event to attach to; otherwise one is recorded from `model` and `input`. */
  decisionId?: string
  /** The model behind the results (name and version), for the decision event. */
  model?: { name: string; version: string }
  /** What the model saw (redacted by the trail's policy), for the decision event. */
  input?: unknown
  entity?: string
}

/** A human's decision. */
export interface DecideOptions {
  by: string
  note?: string
}

/** Options for `approvalGate`. */
export interface ApprovalGateOptions<T> {
  /** Where requests are kept (memory or Redis); namespaced under `write-back`. */
  store: KeyValueStore
  /** Records the request (a pending decision) and each human decision (`approval()`). */
  audit: AuditTrail
  targets: ReadonlyArray<WriteBackTarget<T>>
  /** How long a decision may hold its request's lock before another may take over (default 5 min). */
  lockTtlMs?: number
}

/** Holds write-backs until a human approves them: pending → approved (then written) or rejected. */
export interface ApprovalGate<T> {
  /** Records a pending request; nothing is written. */
  submit(options: SubmitOptions<T>): Promise<ApprovalRequest<T>>
  /**
   * Approves a pending request and writes it; on an approved request whose write did not finish,
   * writes it again (targets are idempotent by key). A rejected or written request is a `CONFLICT`.
   */
  approve(
    id: string,
    decision: DecideOptions,
  ): Promise<{ request: ApprovalRequest<T>; result: WriteBackResult }>
  /** Rejects a pending request; nothing is ever written for it. */
  reject(id: string, decision: DecideOptions): Promise<ApprovalRequest<T>>
  /** The request, or `undefined`. */
  get(id: string): Promise<ApprovalRequest<T> | undefined>
}

const optionsSchema = z.object({
  store: z.custom<KeyValueStore>(hasMethods('get', 'set', 'setIfAbsent', 'delete', 'namespace')),
  audit: z.custom<AuditTrail>(hasMethods('decision', 'approval')),
  targets: z.array(z.custom<WriteBackTarget<unknown>>(hasMethods('write'))).min(1),
  lockTtlMs: z.number().int().positive().default(300_000),
})

const invalid = (problem: string) =>
  new ValidationError({ message: `approval gate: ${problem}`, operation: 'approval' })

/**
 * An approval gate for write-back: requests and their status live in a `KeyValueStore`, every
 * transition is recorded in the audit trail (the request as a `pending` decision, each human
 * decision as an `approval` referring to it), and the targets are written only after approval.
 * A decision holds a short lock, so two approvers racing cannot both act.
 */
export function approvalGate<T>(options: ApprovalGateOptions<T>): ApprovalGate<T> {
  const parsed = parseOptions(optionsSchema, options, 'approvalGate')
  const store = parsed.store.namespace('write-back')
  const targets = new Map(options.targets.map((target) => [target.name, target]))
  const keyOf = (id: string) => `request:${id}`

  const load = async (id: string): Promise<ApprovalRequest<T>> => {
    if (typeof id !== 'string' || id === '') throw invalid('id must be a non-empty string')
    const request = await store.get<ApprovalRequest<T>>(keyOf(id))
    if (request === undefined) {
      throw new NotFoundError({
        message: `approval gate: no write-back request ${id}`,
        operation: 'approval',
      })
    }
    return request
  }

  const locked = async <R>(id: string, body: () => Promise<R>): Promise<R> => {
    const lock = `lock:${id}`
    if (!(await store.setIfAbsent(lock, true, { ttlMs: parsed.lockTtlMs }))) {
      throw new ConflictError({
        message: `approval gate: request ${id} is being decided by someone else`,
        operation: 'approval',
      })
    }
    try {
      return await body()
    } finally {
      await store.delete(lock)
    }
  }

  const checkDecision = (decision: DecideOptions) => {
    if (typeof decision?.by !== 'string' || decision.by === '')
      throw invalid('a decision needs `by` (who decided)')
  }

  const closed = (request: ApprovalRequest<T>, wanted: string) =>
    new ConflictError({
      message: `approval gate: request ${request.id} is ${request.status} and cannot be ${wanted}`,
      operation: 'approval',
      details: { status: request.status },
    })

  return {
    async submit(submission) {
      if (!Array.isArray(submission?.records) || submission.records.length === 0) {
        throw invalid('records must be a non-empty array')
      }
      if (typeof submission.requestedBy !== 'string' || submission.requestedBy === '') {
        throw invalid('requestedBy must name who asks')
      }
      const names = submission.targets ?? [...targets.keys()]
      const unknown = names.filter((name) => !targets.has(name))
      if (names.length === 0 || unknown.length > 0)
        throw invalid(`unknown targets: ${unknown.join(', ') || '(none given)'}`)
      const id = randomUUID()
      let decisionId = submission.decisionId
      if (decisionId === undefined) {
        if (submission.model === undefined)
          throw invalid('give a decisionId, or the model (and input) behind the records')
        const event = await parsed.audit.decision({
          model: submission.model.name,
          version: submission.model.version,
          input: submission.input ?? null,
          output: submission.records,
          operation: 'write-back',
          entity: submission.entity,
          outcome: 'pending',
          correlationId: id,
        })
        decisionId = event.id
      }
      const request: ApprovalRequest<T> = {
        id,
        status: 'pending',
        records: submission.records,
        targets: names,
        decisionId,
        requestedBy: submission.requestedBy,
        requestedAt: new Date(),
        note: submission.note,
      }
      await store.set(keyOf(id), request)
      return request
    },

    async approve(id, decision) {
      checkDecision(decision)
      return locked(id, async () => {
        let request = await load(id)
        if (request.status === 'rejected' || request.status === 'written') throw closed(request, 'approved')
        if (request.status === 'pending') {
          await parsed.audit.approval({
            decisionId: request.decisionId,
            by: decision.by,
            decision: 'approved',
            note: decision.note,
            correlationId: id,
          })
          request = {
            ...request,
            status: 'approved',
            decidedBy: decision.by,
            decidedAt: new Date(),
            decisionNote: decision.note,
          }
          // Saved before writing: a crash mid-write leaves an approved request that approve() finishes.
          await store.set(keyOf(id), request)
        }
        const result = await writeBack({
          targets: request.targets.map((name) => targets.get(name)).filter((target) => target !== undefined),
          records: request.records,
          correlationId: id,
        })
        request = {
          ...request,
          status: result.ok ? 'written' : 'approved',
          outcomes: Object.fromEntries(
            result.targets.map((target) => [
              target.target,
              target.results.map((outcome) =>
                outcome.ok
                  ? { index: outcome.index, ok: true, id: outcome.id, created: outcome.created }
                  : {
                      index: outcome.index,
                      ok: false,
                      id: outcome.id,
                      error: { code: outcome.error.code, message: outcome.error.message },
                    },
              ),
            ]),
          ),
        }
        await store.set(keyOf(id), request)
        return { request, result }
      })
    },

    async reject(id, decision) {
      checkDecision(decision)
      return locked(id, async () => {
        const request = await load(id)
        if (request.status !== 'pending') throw closed(request, 'rejected')
        await parsed.audit.approval({
          decisionId: request.decisionId,
          by: decision.by,
          decision: 'rejected',
          note: decision.note,
          correlationId: id,
        })
        const rejected: ApprovalRequest<T> = {
          ...request,
          status: 'rejected',
          decidedBy: decision.by,
          decidedAt: new Date(),
          decisionNote: decision.note,
        }
        await store.set(keyOf(id), rejected)
        return rejected
      })
    },

    async get(id) {
      try {
        return await load(id)
      } catch (error) {
        if (error instanceof JunctionError && error.code === 'NOT_FOUND') return undefined
        throw error
      }
    },
  }
}
