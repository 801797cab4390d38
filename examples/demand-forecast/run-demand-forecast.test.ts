import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AuditEvent, parseAuditEvent } from '@junction/core'
import { requireService } from '@junction/core/testing'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DemandLine, snapshotHash } from './demand-history.js'
import { type DemandHistory, forecastDemand, MODEL_VERSION } from './forecast-model.js'
import { type DemandForecastReport, runDemandForecast } from './run-demand-forecast.js'
import { monthStart, type SeedSize, seedSap } from './seed-data.js'

const SIZE: SeedSize = { products: 3, months: 4, ordersPerMonth: 6 }
const AS_OF = new Date('2026-12-01T02:00:00Z')
const seed = seedSap(SIZE, AS_OF)
const dirtyOrders = new Set([
  seed.dirty.missingQuantity,
  seed.dirty.openEndDate,
  seed.dirty.negativeAmount,
  seed.dirty.duplicate.order,
])

// The forecast input rebuilt from the seed alone: the clean order lines of one product, as SAP holds them.
function seedLines(product: string): DemandLine[] {
  const from = monthStart(AS_OF, -SIZE.months)
  return seed.orders
    .filter((order) => !dirtyOrders.has(String(order.SalesOrder)))
    .filter((order) => (order.SalesOrderDate as Date) >= from)
    .flatMap((order) =>
      seed.items
        .filter((item) => item.SalesOrder === order.SalesOrder && item.Material === product)
        .map((item) => ({
          order: String(order.SalesOrder),
          line: String(item.SalesOrderItem),
          day: (order.SalesOrderDate as Date).toISOString().slice(0, 10),
          quantity: String(item.RequestedQuantity),
        })),
    )
    .sort((a, b) => Number(a.order) - Number(b.order) || Number(a.line) - Number(b.line))
}

async function readAudit(file: string): Promise<AuditEvent[]> {
  const lines = (await readFile(file, 'utf8')).trim().split('\n')
  return lines.map((line) => parseAuditEvent(JSON.parse(line)))
}

describe('the demand-forecast example', () => {
  let dir: string
  let report: DemandForecastReport
  let events: AuditEvent[]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'junction-demand-forecast-'))
    report = await runDemandForecast({ auditFile: join(dir, 'audit.jsonl'), ...SIZE, asOf: AS_OF })
    events = await readAudit(report.audit.file)
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('syncs every sales order and drops the planted dirty rows, each under its reason', () => {
    expect(report.firstNight.orders).toEqual({
      entity: 'A_SalesOrder',
      read: seed.orders.length,
      written: seed.orders.length - 3,
      refused: 3,
      resumed: false,
    })
    expect(report.firstNight.dropped).toEqual([
      { reason: 'lines.*.quantity: missing', orders: [seed.dirty.missingQuantity] },
      { reason: 'orderDate: open_end_date', orders: [seed.dirty.openEndDate] },
      { reason: 'lines.*.netAmount: negative_amount', orders: [seed.dirty.negativeAmount] },
      { reason: 'duplicate', orders: [seed.dirty.duplicate.order] },
    ])
    expect(report.firstNight.cleanOrders).toBe(seed.orders.length - 4)
  })

  it('reports the dirty rows in the quality report of the night', () => {
    const { quality } = report.firstNight
    expect(quality.records).toMatchObject({ total: seed.orders.length, failed: 3 })
    expect(quality.missing['lines.*.quantity']?.count).toBe(1)
    expect(quality.invalid.byCode).toMatchObject({ open_end_date: 1, negative_amount: 1 })
    expect(quality.duplicates).toMatchObject({ groups: 1, records: 1 })
  })

  it('forecasts every product from its clean monthly demand', () => {
    expect(report.forecasts.map((forecast) => forecast.product)).toEqual(['FG-100', 'FG-110', 'FG-120'])
    for (const forecast of report.forecasts) {
      const months = Object.entries(seed.monthlyDemand[forecast.product] ?? {}).map(([month, quantity]) => ({
        month,
        quantity,
      }))
      const expected = forecastDemand({ product: forecast.product, unit: 'PC', months }, '2026-12')
      expect(forecast).toMatchObject({ period: '2026-12', quantity: expected.quantity, unit: 'PC' })
    }
  })

  it('writes approved forecasts through $batch only after their approval', () => {
    const approved = report.forecasts.filter((forecast) => forecast.planner.decision === 'approve')
    expect(approved.length).toBe(2)
    expect(report.approvals.batchCallsWhilePending).toBe(0)
    expect(report.sap.batch).toBe(approved.length)
    for (const forecast of approved) {
      expect(forecast).toMatchObject({ status: 'written', inSap: forecast.quantity })
      // In the hash-chained log, the write comes after the approval of the same request.
      const approval = events.findIndex(
        (event) => event.kind === 'approval' && event.decisionId === forecast.decisionEventId,
      )
      const write = events.findIndex(
        (event) => event.operation === 'batch' && event.correlationId === forecast.requestId,
      )
      expect(events[approval]?.approval?.decision).toBe('approved')
      expect(write).toBeGreaterThan(approval)
      expect(events[write]).toMatchObject({ outcome: 'success', recordIds: [forecast.product] })
    }
  })

  it('never writes a rejected forecast, even when someone tries to approve it later', () => {
    const rejected = report.forecasts.filter((forecast) => forecast.status === 'rejected')
    expect(rejected.map((forecast) => [forecast.product, forecast.historyMonths])).toEqual([['FG-120', 2]])
    expect(rejected[0]?.inSap).toBeNull()
    expect(report.secondNight.reapprovingRejected).toBe('CONFLICT')
    expect(events.filter((event) => event.correlationId === rejected[0]?.requestId)).toMatchObject([
      { kind: 'approval', approval: { decision: 'rejected' } },
    ])
  })

  it('resumes from its checkpoints on the second night and reads only what changed', () => {
    expect(report.secondNight.orders).toMatchObject({ read: 2, written: 2, resumed: true })
    expect(report.secondNight.products).toMatchObject({ read: report.approvals.written, resumed: true })
  })

  it('records each forecast as a decision with its input snapshot, record ids and model version', () => {
    const decisions = events.filter((event) => event.kind === 'decision')
    expect(decisions.map((event) => event.id)).toEqual(report.forecasts.map((f) => f.decisionEventId))
    for (const decision of decisions) {
      const input = decision.input as { period: string; history: DemandHistory; snapshot: { sha256: string } }
      const lines = seedLines(input.history.product)
      expect(decision).toMatchObject({ model: { version: MODEL_VERSION }, outcome: 'pending' })
      expect(input.snapshot.sha256).toBe(snapshotHash(lines))
      expect(decision.recordIds).toEqual([...new Set(lines.map((line) => line.order))])
      // The recorded input is enough to recompute the recorded output.
      expect(forecastDemand(input.history, input.period)).toEqual(decision.output)
    }
  })

  it('verifies the whole audit trail at the end', () => {
    expect(report.audit).toMatchObject({ verified: true, events: events.length, failure: undefined })
    expect(report.audit.byKind).toMatchObject({ decision: 3, approval: 3 })
  })
})

const redis = await requireService('redis')

describe.skipIf(redis.skip)('the demand-forecast example on Redis', () => {
  it('keeps its state in Redis under a prefix of its own and removes it at the end', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'junction-demand-forecast-'))
    const client = new Redis(redis.url)
    const redisKeyPrefix = `junction:test:demand-forecast:${process.pid}:${Date.now()}:`
    try {
      const report = await runDemandForecast({
        auditFile: join(dir, 'audit.jsonl'),
        ...SIZE,
        asOf: AS_OF,
        redisUrl: redis.url,
        redisKeyPrefix,
      })
      expect(report.state).toBe('redis')
      expect(report.approvals).toMatchObject({ approved: 2, written: 2, rejected: 1 })
      expect(report.secondNight.orders).toMatchObject({ read: 2, resumed: true })
      expect(await client.keys(`${redisKeyPrefix}*`)).toEqual([])
    } finally {
      await client.quit()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
