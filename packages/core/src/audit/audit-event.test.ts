import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors/error-kinds.js'
import { createAuditEvent } from './audit-event.js'

describe('createAuditEvent', () => {
  it('fills in an id and the time', () => {
    const event = createAuditEvent({
      kind: 'operation',
      actor: { type: 'service', id: 'svc-ingest' },
      operation: 'query',
      outcome: 'success',
    })
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(event.time).toBeInstanceOf(Date)
  })

  it('rejects an event missing required fields at the call site, naming them', () => {
    expect(() => createAuditEvent({ kind: 'operation', operation: 'query' } as never)).toThrow(
      ValidationError,
    )
    expect(() => createAuditEvent({ kind: 'operation', operation: 'query' } as never)).toThrow(/actor/)
  })

  it('records a model decision with its approval', () => {
    const event = createAuditEvent({
      kind: 'decision',
      actor: { type: 'model', id: 'lead-score' },
      operation: 'score',
      model: { name: 'lead-score', version: '2026.11' },
      approval: { decision: 'approved', by: 'ann@example.com', at: '2026-11-24T10:00:00Z' },
      outcome: 'success',
    })
    expect(event.approval?.at).toEqual(new Date('2026-11-24T10:00:00Z'))
  })
})
