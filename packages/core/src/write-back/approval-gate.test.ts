import type { Redis } from 'ioredis'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { auditTrail } from '../audit/audit-trail.js'
import { memoryAudit } from '../audit/memory-audit.js'
import type { EntityRecord } from '../connector/connector.js'
import type { KeyValueStore } from '../stores/key-value-store.js'
import { memoryStore } from '../stores/memory-store.js'
import { redisStore } from '../stores/redis-store.js'
import { requireService } from '../testing/require-service.js'
import { ledgerConnector } from '../testing/test-support/ledger-connector.js'
import { ledgerSimulator } from '../testing/test-support/ledger-simulator.js'
import { redisTestKeys } from '../testing/test-support/redis-test-keys.js'
import { approvalGate } from './approval-gate.js'
import { upsertTarget } from './upsert-target.js'

const redis = await requireService('redis')

const closing: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((item) => item.close()))
})

interface Forecast {
  material: string
  quantity: number
}

const forecasts: Forecast[] = [
  { material: 'MAT-1', quantity: 120 },
  { material: 'MAT-2', quantity: 80 },
]
const toPlan = (forecast: Forecast): EntityRecord => ({
  material: forecast.material,
  name: `Plan ${forecast.material}`,
  quantity: forecast.quantity,
})

function setup(store: KeyValueStore = memoryStore()) {
  const sim = ledgerSimulator()
  const erp = ledgerConnector({
    name: 'erp',
    baseUrl: 'https://erp.test',
    dispatcher: sim.dispatcher,
    retry: false,
  })
  const sink = memoryAudit()
  const audit = auditTrail(sink, { actor: { type: 'service', id: 'demand-forecast' } })
  const target = upsertTarget({ connector: erp, entity: 'PlannedOrder', externalId: 'material', map: toPlan })
  const gate = approvalGate({ store, audit, targets: [target] })
  closing.push(erp, sim, store)
  const submit = () =>
    gate.submit({
      records: forecasts,
      requestedBy: 'forecast-job',
      model: { name: 'demand-forecast', version: '2026.11' },
      input: { orders: 42 },
      entity: 'PlannedOrder',
    })
  return { sim, sink, gate, store, target, audit, submit }
}

describe('approvalGate', () => {
  it('records a submitted write-back as a pending decision and writes nothing', async () => {
    const { sim, sink, submit } = setup()
    const request = await submit()
    expect(request).toMatchObject({ status: 'pending', targets: ['erp'], requestedBy: 'forecast-job' })
    expect(sim.data.rows('PlannedOrder')).toEqual([])
    expect(sink.events).toHaveLength(1)
    expect(sink.events[0]).toMatchObject({
      id: request.decisionId,
      kind: 'decision',
      operation: 'write-back',
      outcome: 'pending',
      model: { name: 'demand-forecast', version: '2026.11' },
      input: { orders: 42 },
    })
  })

  it('writes the records once approved, records the approval and keeps the outcome per record', async () => {
    const { sim, sink, gate, submit } = setup()
    const pending = await submit()
    const { request, result } = await gate.approve(pending.id, {
      by: 'planner@example.com',
      note: 'looks right',
    })
    expect(result.ok).toBe(true)
    expect(sim.data.rows('PlannedOrder').map((row) => [row.material, row.quantity])).toEqual([
      ['MAT-1', 120],
      ['MAT-2', 80],
    ])
    expect(request).toMatchObject({
      status: 'written',
      decidedBy: 'planner@example.com',
      decisionNote: 'looks right',
    })
    expect(request.outcomes?.erp?.map((outcome) => [outcome.index, outcome.ok, outcome.created])).toEqual([
      [0, true, true],
      [1, true, true],
    ])
    expect(sink.events.map((event) => event.kind)).toEqual(['decision', 'approval'])
    expect(sink.events[1]).toMatchObject({
      decisionId: pending.decisionId,
      approval: { decision: 'approved', by: 'planner@example.com', note: 'looks right' },
      correlationId: pending.id,
    })
    expect(await gate.get(pending.id)).toMatchObject({ status: 'written' })
  })

  it('writes nothing for a rejected request and records the rejection', async () => {
    const { sim, sink, gate, submit } = setup()
    const pending = await submit()
    const rejected = await gate.reject(pending.id, {
      by: 'planner@example.com',
      note: 'MAT-2 is discontinued',
    })
    expect(rejected.status).toBe('rejected')
    expect(sink.events[1]).toMatchObject({
      approval: { decision: 'rejected', note: 'MAT-2 is discontinued' },
    })
    await expect(gate.approve(pending.id, { by: 'someone-else' })).rejects.toMatchObject({ code: 'CONFLICT' })
    expect(sim.data.rows('PlannedOrder')).toEqual([])
    expect(sink.events).toHaveLength(2)
  })

  it('refuses to reject or approve again a request already written', async () => {
    const { gate, submit } = setup()
    const pending = await submit()
    await gate.approve(pending.id, { by: 'planner' })
    await expect(gate.reject(pending.id, { by: 'planner' })).rejects.toMatchObject({ code: 'CONFLICT' })
    await expect(gate.approve(pending.id, { by: 'planner' })).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('keeps a partly written request approved, and a second approve finishes it without a second approval event', async () => {
    const { sim, sink, gate, submit } = setup()
    const pending = await submit()
    sim.faults.next({ status: 503 })
    const first = await gate.approve(pending.id, { by: 'planner' })
    expect(first.request.status).toBe('approved')
    expect(first.result.ok).toBe(false)
    expect(first.request.outcomes?.erp?.map((outcome) => outcome.error?.code ?? 'ok')).toEqual([
      'SERVICE_UNAVAILABLE',
      'ok',
    ])
    const second = await gate.approve(pending.id, { by: 'planner' })
    expect(second.request.status).toBe('written')
    expect(sim.data.rows('PlannedOrder')).toHaveLength(2)
    expect(sink.events.filter((event) => event.kind === 'approval')).toHaveLength(1)
  })

  it('lets only one of two racing approvals act', async () => {
    const { sim, gate, submit } = setup()
    const pending = await submit()
    const outcomes = await Promise.allSettled([
      gate.approve(pending.id, { by: 'first' }),
      gate.approve(pending.id, { by: 'second' }),
    ])
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected'])
    const refused = outcomes.find((outcome) => outcome.status === 'rejected')
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' })
    expect(sim.data.rows('PlannedOrder')).toHaveLength(2)
  })

  it('finds a request submitted through another gate over the same store, as after a restart', async () => {
    const store = memoryStore()
    const { submit } = setup(store)
    const pending = await submit()
    const { gate, sim } = setup(store)
    await gate.approve(pending.id, { by: 'planner' })
    expect(sim.data.rows('PlannedOrder')).toHaveLength(2)
  })

  it('attaches to a decision already recorded when given its id', async () => {
    const { gate, audit, sink } = setup()
    const decision = await audit.decision({
      model: 'm',
      version: '1',
      input: {},
      output: forecasts,
      outcome: 'pending',
    })
    const pending = await gate.submit({ records: forecasts, requestedBy: 'job', decisionId: decision.id })
    await gate.approve(pending.id, { by: 'planner' })
    expect(sink.events.map((event) => event.kind)).toEqual(['decision', 'approval'])
    expect(sink.events[1]?.decisionId).toBe(decision.id)
  })

  it('rejects an unknown id with NOT_FOUND, and get returns undefined for it', async () => {
    const { gate } = setup()
    await expect(gate.approve('nope', { by: 'planner' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await gate.get('nope')).toBeUndefined()
  })

  it.each([
    ['no records', { records: [], requestedBy: 'job', model: { name: 'm', version: '1' } }],
    [
      'an unknown target',
      { records: forecasts, requestedBy: 'job', targets: ['crm'], model: { name: 'm', version: '1' } },
    ],
    ['neither a decision nor a model', { records: forecasts, requestedBy: 'job' }],
    ['no requester', { records: forecasts, requestedBy: '', model: { name: 'm', version: '1' } }],
  ])('refuses a submission with %s with a ValidationError', async (_, submission) => {
    const { gate } = setup()
    await expect(gate.submit(submission)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
  })

  it('refuses a decision that does not say who decided', async () => {
    const { gate, submit } = setup()
    const pending = await submit()
    await expect(gate.approve(pending.id, { by: '' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
  })

  describe.skipIf(redis.skip)('over Redis', () => {
    const { nextPrefix, ...keys } = redisTestKeys(redis.url, 'approvals')
    let client: Redis
    beforeAll(() => {
      client = keys.client()
    })

    it('keeps requests in Redis under the write-back namespace', async () => {
      const keyPrefix = nextPrefix()
      const { gate, submit } = setup(redisStore({ client, keyPrefix }))
      const pending = await submit()
      expect(await client.exists(`${keyPrefix}write-back:request:${pending.id}`)).toBe(1)
      await gate.approve(pending.id, { by: 'planner' })
      expect(await client.exists(`${keyPrefix}write-back:lock:${pending.id}`)).toBe(0)
    })
  })
})
