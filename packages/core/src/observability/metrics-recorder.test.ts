import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/error-kinds.js'
import type { LoopbackServer } from '../testing/loopback-server.js'
import { pipelineContext } from '../testing/pipeline-context.js'
import type { JunctionEventMap } from './junction-events.js'
import { JunctionEvents } from './junction-events.js'
import { createMetrics } from './metrics-recorder.js'
import { get, itemsSimulator, observedPipeline } from './test-support/observed-pipeline.js'

type RequestEnd = JunctionEventMap['request:end']

function ended(overrides: Partial<RequestEnd> = {}): RequestEnd {
  return {
    system: 'demo',
    connection: 'crm',
    operation: 'query',
    method: 'GET',
    path: '/items',
    durationMs: 10,
    status: 200,
    retries: 0,
    ...overrides,
  }
}

describe('createMetrics', () => {
  it('counts requests, errors by code and retries per connection and operation', () => {
    const metrics = createMetrics()
    metrics.record(ended())
    metrics.record(ended({ errorCode: 'NOT_FOUND', status: 404 }))
    metrics.record(ended({ errorCode: 'SERVICE_UNAVAILABLE', retries: 2 }))
    metrics.record(ended({ operation: 'get' }))
    metrics.record(ended({ connection: 'erp' }))
    const series = metrics.snapshot().series
    expect(series.map((item) => [item.connection, item.operation, item.count])).toEqual([
      ['crm', 'query', 3],
      ['crm', 'get', 1],
      ['erp', 'query', 1],
    ])
    expect(series[0]).toMatchObject({
      system: 'demo',
      errors: 2,
      errorsByCode: { NOT_FOUND: 1, SERVICE_UNAVAILABLE: 1 },
      retries: 2,
    })
  })

  it('reports latency percentiles within the histogram precision', () => {
    const metrics = createMetrics()
    for (let ms = 1; ms <= 1_000; ms++) metrics.record(ended({ durationMs: ms }))
    const latency = metrics.snapshot().series[0]?.latencyMs
    expect(latency?.p50).toBeCloseTo(500, -1)
    expect(latency?.p95).toBeCloseTo(950, -1)
    expect(latency?.p99).toBeCloseTo(990, -1)
    expect(latency?.max).toBeCloseTo(1_000, -1)
    expect(latency?.mean).toBeCloseTo(500.5, -1)
  })

  it('adds the series of each system up, latency percentiles across all its operations', () => {
    const metrics = createMetrics()
    for (let ms = 1; ms <= 500; ms++) metrics.record(ended({ durationMs: ms }))
    for (let ms = 501; ms <= 1_000; ms++)
      metrics.record(ended({ operation: 'get', durationMs: ms, retries: 1 }))
    metrics.record(ended({ system: 'erp', connection: 'erp', errorCode: 'SERVER_ERROR', status: 500 }))
    const [demo, erp] = metrics.snapshot().systems
    expect(demo).toMatchObject({ system: 'demo', count: 1_000, errors: 0, retries: 500 })
    expect(demo?.latencyMs.p50).toBeCloseTo(500, -1)
    expect(demo?.latencyMs.p95).toBeCloseTo(950, -1)
    expect(erp).toMatchObject({ system: 'erp', count: 1, errors: 1, retries: 0 })
  })

  it('keeps at most maxSeries series and counts the requests it dropped', () => {
    const metrics = createMetrics({ maxSeries: 2 })
    for (const operation of ['get', 'query', 'create', 'update']) metrics.record(ended({ operation }))
    metrics.record(ended({ operation: 'get' }))
    const snapshot = metrics.snapshot()
    expect(snapshot.series.map((item) => [item.operation, item.count])).toEqual([
      ['get', 2],
      ['query', 1],
    ])
    expect(snapshot.dropped).toBe(2)
  })

  it('clamps a latency beyond the largest one it tells apart', () => {
    const metrics = createMetrics({ maxLatencyMs: 1_000 })
    metrics.record(ended({ durationMs: 5_000 }))
    expect(metrics.snapshot().series[0]?.latencyMs.max).toBeCloseTo(1_000, -1)
  })

  it('returns a snapshot that is plain JSON', () => {
    const metrics = createMetrics()
    metrics.record(ended({ errorCode: 'TIMEOUT' }))
    const snapshot = metrics.snapshot()
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot)
  })

  it('records from a connector’s events until unsubscribed, breaker states included', () => {
    const events = new JunctionEvents()
    const metrics = createMetrics()
    const stop = metrics.observe(events)
    events.emit('request:end', ended())
    events.emit('breaker', { system: 'demo', connection: 'crm', key: 'crm', state: 'open' })
    stop()
    events.emit('request:end', ended())
    const snapshot = metrics.snapshot()
    expect(snapshot.series[0]?.count).toBe(1)
    expect(snapshot.breakers).toEqual([{ system: 'demo', connection: 'crm', key: 'crm', state: 'open' }])
  })

  it('forgets everything on reset', () => {
    const metrics = createMetrics()
    metrics.record(ended())
    metrics.reset()
    expect(metrics.snapshot()).toMatchObject({ series: [], breakers: [], dropped: 0 })
  })

  it('rejects invalid options, naming the option', () => {
    expect(() => createMetrics({ maxSeries: 0 })).toThrow(ConfigError)
    expect(() => createMetrics({ maxSeries: 0 })).toThrow(/maxSeries/)
  })
})

describe('createMetrics with the observe middleware', () => {
  const sim = itemsSimulator()
  let server: LoopbackServer
  beforeAll(async () => {
    server = await sim.listen()
  })
  afterAll(async () => {
    await sim.close()
  })

  it('records every request that went through the pipeline', async () => {
    const context = pipelineContext({ system: 'demo', connection: 'crm' })
    const metrics = createMetrics()
    metrics.observe(context.events)
    const { handler, close } = observedPipeline(context)
    sim.faults.next({ kind: 'http-503' })
    await handler(get(`${server.url}/items`))
    sim.faults.next({ status: 404 })
    await expect(handler(get(`${server.url}/items`))).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await handler(get(`${server.url}/items`, { name: 'get', entity: 'Item' }))
    await close()
    expect(metrics.snapshot().series).toMatchObject([
      { operation: 'query', count: 2, errors: 1, errorsByCode: { NOT_FOUND: 1 }, retries: 1 },
      { operation: 'get', count: 1, errors: 0, retries: 0 },
    ])
  })
})
