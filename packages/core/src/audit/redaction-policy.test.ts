import { describe, expect, it } from 'vitest'
import { Redactor } from '../redaction/redactor.js'
import { createAuditEvent } from './audit-event.js'
import { memoryAudit } from './memory-audit.js'
import { redactedAudit } from './redacted-audit.js'
import { redactionPolicy } from './redaction-policy.js'

const hashKey = 'per-deployment-salt-0123456789'

const order = () => ({
  customer: { name: 'Ann Example', email: 'ann@example.com', taxId: 'DE123456789' },
  lines: [
    { sku: 'A-1', card: { number: '4111111111111111' } },
    { sku: 'B-2', card: { number: '5500005555555559' } },
  ],
  note: 'call back',
})

describe('redactionPolicy', () => {
  it('drops named fields, nested in objects and arrays', () => {
    const policy = redactionPolicy({ drop: ['customer.taxId', 'lines[].card'] })
    expect(policy.value(order())).toEqual({
      customer: { name: 'Ann Example', email: 'ann@example.com' },
      lines: [{ sku: 'A-1' }, { sku: 'B-2' }],
      note: 'call back',
    })
  })

  it('masks a field but its last four characters', () => {
    const policy = redactionPolicy({ mask: ['lines.*.card.number'] })
    const redacted = policy.value(order()) as ReturnType<typeof order>
    expect(redacted.lines.map((line) => line.card.number)).toEqual(['************1111', '************5559'])
  })

  it('masks a short value whole rather than give most of it away', () => {
    const policy = redactionPolicy({ mask: ['pin'] })
    expect(policy.value({ pin: '1234' })).toEqual({ pin: '****' })
  })

  it('hashes a field so the same value links across events but does not appear', () => {
    const policy = redactionPolicy({ hash: ['customer.email'], hashKey })
    const first = policy.value(order()) as ReturnType<typeof order>
    const second = policy.value({ customer: { email: 'ann@example.com' } }) as ReturnType<typeof order>
    expect(first.customer.email).toMatch(/^hmac-sha256:[0-9a-f]{64}$/)
    expect(second.customer.email).toBe(first.customer.email)
    expect(JSON.stringify(first)).not.toContain('ann@example.com')
  })

  it('gives a different hash under a different deployment key', () => {
    const value = { email: 'ann@example.com' }
    const one = redactionPolicy({ hash: ['email'], hashKey }).value(value)
    const other = redactionPolicy({ hash: ['email'], hashKey: 'another-deployment-salt' }).value(value)
    expect(one).not.toEqual(other)
  })

  it('drops one array element by index', () => {
    const policy = redactionPolicy({ drop: ['lines[0]'] })
    expect((policy.value(order()) as ReturnType<typeof order>).lines.map((line) => line.sku)).toEqual(['B-2'])
  })

  it('scrubs secrets with the redactor after the policy', () => {
    const redactor = new Redactor(() => ['s3cr3t-value'])
    const policy = redactionPolicy({ redactor })
    expect(policy.value({ apiKey: 'abc', note: 'token s3cr3t-value here' })).toEqual({
      apiKey: '[REDACTED]',
      note: 'token [REDACTED] here',
    })
  })

  it('leaves the input object untouched', () => {
    const input = order()
    redactionPolicy({ drop: ['customer'], mask: ['note'] }).value(input)
    expect(input).toEqual(order())
  })

  it('redacts the input and output of an event before a wrapped sink writes it', async () => {
    const sink = memoryAudit()
    const policy = redactionPolicy({ drop: ['customer.taxId'], mask: ['score.reason'] })
    await redactedAudit(sink, policy).write(
      createAuditEvent({
        kind: 'decision',
        actor: { type: 'service', id: 'svc' },
        operation: 'score',
        input: order(),
        output: { score: { value: 0.9, reason: 'strong-intent' } },
        outcome: 'success',
      }),
    )
    expect(sink.events[0]?.input).not.toHaveProperty('customer.taxId')
    expect(sink.events[0]?.output).toEqual({ score: { value: 0.9, reason: '*********tent' } })
  })

  it('requires a hash key when fields are to be hashed, naming the option', () => {
    expect(() => redactionPolicy({ hash: ['email'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: 'hashKey' }),
    )
  })

  it('rejects a malformed path with a ConfigError naming it', () => {
    expect(() => redactionPolicy({ drop: ['customer..email'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: 'drop.0' }),
    )
  })
})
