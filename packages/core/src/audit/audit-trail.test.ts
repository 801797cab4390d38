import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors/error-kinds.js'
import { auditTrail } from './audit-trail.js'
import { jsonlAudit } from './jsonl-audit.js'
import { memoryAudit } from './memory-audit.js'
import { redactionPolicy } from './redaction-policy.js'
import { verifyAuditLog } from './verify-audit-log.js'

const actor = { type: 'service', id: 'svc-lead-scoring' } as const
const lead = { id: '00Q1', email: 'ann@example.com', company: 'Acme GmbH' }

describe('auditTrail', () => {
  it('records a decision with its input, output, model name and version', async () => {
    const sink = memoryAudit()
    const trail = auditTrail(sink, { actor, tenant: 'acme', retentionClass: 'sox-7y' })
    const event = await trail.decision({
      model: 'lead-score',
      version: '2026.11',
      input: lead,
      output: { score: 0.82 },
      correlationId: 'req-1',
    })
    expect(sink.events).toEqual([event])
    expect(event).toMatchObject({
      kind: 'decision',
      actor,
      tenant: 'acme',
      model: { name: 'lead-score', version: '2026.11' },
      input: lead,
      output: { score: 0.82 },
      outcome: 'success',
      correlationId: 'req-1',
      retentionClass: 'sox-7y',
    })
  })

  it('records an approval that points at the decision and names who approved it', async () => {
    const sink = memoryAudit()
    const trail = auditTrail(sink, { actor })
    const decision = await trail.decision({
      model: 'credit-limit',
      version: '3.1',
      input: { customer: 'C-1' },
      output: { limit: 5000 },
      outcome: 'pending',
    })
    const at = new Date('2026-11-24T10:00:00Z')
    const approval = await trail.approval({
      decisionId: decision.id,
      by: 'ann@example.com',
      decision: 'overridden',
      note: 'known customer',
      output: { limit: 8000 },
      at,
    })
    expect(approval).toMatchObject({
      kind: 'approval',
      actor: { type: 'user', id: 'ann@example.com' },
      decisionId: decision.id,
      approval: { decision: 'overridden', by: 'ann@example.com', at, note: 'known customer' },
      output: { limit: 8000 },
    })
  })

  it('redacts input and output by the trail policy before the sink sees them', async () => {
    const sink = memoryAudit()
    const policy = redactionPolicy({
      hash: ['email'],
      mask: ['company'],
      hashKey: 'per-deployment-salt-0123',
    })
    const trail = auditTrail(sink, { actor, policy })
    await trail.decision({ model: 'lead-score', version: '2026.11', input: lead, output: { score: 1 } })
    expect(JSON.stringify(sink.events)).not.toContain('ann@example.com')
    expect(sink.events[0]?.input).toMatchObject({ id: '00Q1', company: '*****GmbH' })
  })

  it('rejects a decision without a model version with a ValidationError naming it, writing nothing', async () => {
    const sink = memoryAudit()
    const trail = auditTrail(sink, { actor })
    const missing = trail.decision({ model: 'lead-score', input: lead, output: {} } as never)
    await expect(missing).rejects.toBeInstanceOf(ValidationError)
    await expect(missing).rejects.toThrow(/model\.version/)
    expect(sink.events).toHaveLength(0)
  })

  it('rejects a decision without its input with a ValidationError naming it', async () => {
    const trail = auditTrail(memoryAudit(), { actor })
    await expect(trail.decision({ model: 'm', version: '1', output: {} } as never)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('input'),
    })
  })

  it('rejects an approval without an approver with a ValidationError', async () => {
    const trail = auditTrail(memoryAudit(), { actor })
    await expect(trail.approval({ decisionId: 'd-1', by: '', decision: 'approved' })).rejects.toBeInstanceOf(
      ValidationError,
    )
  })

  it('rejects a trail without an actor with a ConfigError naming the option', () => {
    expect(() => auditTrail(memoryAudit(), {} as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: 'actor' }),
    )
  })

  it('writes decisions and approvals into a verifiable JSONL log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'junction-trail-'))
    try {
      const path = join(dir, 'audit.jsonl')
      const sink = jsonlAudit(path)
      const trail = auditTrail(sink, { actor })
      const decision = await trail.decision({ model: 'm', version: '1', input: lead, output: { ok: true } })
      await trail.approval({ decisionId: decision.id, by: 'ann@example.com', decision: 'approved' })
      await sink.close()
      await expect(verifyAuditLog(path)).resolves.toMatchObject({ ok: true, lines: 2 })
      expect(await readFile(path, 'utf8')).toContain(`"decisionId":"${decision.id}"`)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
