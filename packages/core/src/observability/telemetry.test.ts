import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Meter, metrics, type Tracer, trace } from '@opentelemetry/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LoopbackServer } from '../testing/loopback-server.js'
import { pipelineContext } from '../testing/pipeline-context.js'
import { JunctionEvents } from './junction-events.js'
import {
  createTelemetry,
  type TelemetryAttributes,
  type TelemetryMeter,
  type TelemetrySpan,
  type TelemetryTracer,
} from './telemetry.js'
import { get, itemsSimulator, observedPipeline } from './test-support/observed-pipeline.js'

interface RecordedSpan {
  name: string
  attributes: Record<string, string | number | boolean>
  status?: { code: number; message?: string | undefined }
  ended: number
}

/** A tracer that keeps its spans in memory. */
function memoryTracer(): TelemetryTracer & { spans: RecordedSpan[] } {
  const spans: RecordedSpan[] = []
  return {
    spans,
    startSpan(name, options) {
      const recorded: RecordedSpan = { name, attributes: { ...options?.attributes }, ended: 0 }
      spans.push(recorded)
      const span: TelemetrySpan = {
        setAttribute(key, value) {
          recorded.attributes[key] = value
          return span
        },
        setStatus(status) {
          recorded.status = status
          return span
        },
        end() {
          recorded.ended++
        },
      }
      return span
    },
  }
}

/** A meter that keeps every measurement in memory. */
function memoryMeter(): TelemetryMeter & {
  measurements: Array<{ instrument: string; value: number; attributes?: TelemetryAttributes | undefined }>
} {
  const measurements: Array<{
    instrument: string
    value: number
    attributes?: TelemetryAttributes | undefined
  }> = []
  return {
    measurements,
    createHistogram: (instrument) => ({
      record: (value, attributes) => measurements.push({ instrument, value, attributes }),
    }),
    createCounter: (instrument) => ({
      add: (value, attributes) => measurements.push({ instrument, value, attributes }),
    }),
  }
}

const origin = { system: 'salesforce', connection: 'crm' }

describe('createTelemetry', () => {
  it('accepts OpenTelemetry’s own Tracer and Meter (no-op without an SDK)', () => {
    const tracer: Tracer = trace.getTracer('junction-test')
    const meter: Meter = metrics.getMeter('junction-test')
    const telemetry = createTelemetry({ tracer, meter })
    const span = telemetry.startOperationSpan({ ...origin, operation: { name: 'query', entity: 'Lead' } })
    expect(() => span.end({ outcome: 'success', recordCount: 3 })).not.toThrow()
  })

  it('makes one span per operation with system, entity, operation, outcome and retries', () => {
    const tracer = memoryTracer()
    const telemetry = createTelemetry({ tracer })
    const span = telemetry.startOperationSpan({ ...origin, operation: { name: 'query', entity: 'Lead' } })
    span.end({ outcome: 'success', recordCount: 3 })
    span.end({ outcome: 'failure', errorCode: 'LATE' })
    expect(tracer.spans).toEqual([
      {
        name: 'salesforce.query',
        attributes: {
          'junction.system': 'salesforce',
          'junction.connection': 'crm',
          'junction.operation': 'query',
          'junction.entity': 'Lead',
          'junction.outcome': 'success',
          'junction.retries': 0,
          'junction.record_count': 3,
        },
        ended: 1,
      },
    ])
  })

  it('marks a failed operation’s span as an error with its code only', () => {
    const tracer = memoryTracer()
    const span = createTelemetry({ tracer }).startOperationSpan({ ...origin, operation: { name: 'get' } })
    span.end({ outcome: 'failure', errorCode: 'NOT_FOUND' })
    expect(tracer.spans[0]).toMatchObject({
      attributes: { 'junction.outcome': 'failure', 'error.type': 'NOT_FOUND' },
      status: { code: 2, message: 'NOT_FOUND' },
    })
  })

  it('records the operation duration in seconds', () => {
    const meter = memoryMeter()
    const span = createTelemetry({ meter }).startOperationSpan({ ...origin, operation: { name: 'get' } })
    span.end({ outcome: 'success' })
    expect(meter.measurements).toMatchObject([
      { instrument: 'junction.operation.duration', attributes: { 'junction.outcome': 'success' } },
    ])
    expect(meter.measurements[0]?.value).toBeGreaterThanOrEqual(0)
    expect(meter.measurements[0]?.value).toBeLessThan(60)
  })

  it('records request durations and counts request errors from a connector’s events', () => {
    const meter = memoryMeter()
    const events = new JunctionEvents()
    createTelemetry({ meter }).observe(events)
    const end = { ...origin, operation: 'query', method: 'GET', path: '/q', durationMs: 250, retries: 0 }
    events.emit('request:end', { ...end, status: 200 })
    events.emit('request:end', { ...end, errorCode: 'TIMEOUT' })
    expect(meter.measurements).toEqual([
      {
        instrument: 'junction.request.duration',
        value: 0.25,
        attributes: {
          'junction.system': 'salesforce',
          'junction.connection': 'crm',
          'junction.operation': 'query',
          'junction.outcome': 'success',
        },
      },
      expect.objectContaining({ instrument: 'junction.request.duration', value: 0.25 }),
      expect.objectContaining({
        instrument: 'junction.request.errors',
        value: 1,
        attributes: expect.objectContaining({ 'error.type': 'TIMEOUT' }),
      }),
    ])
  })

  it('does nothing without a tracer or a meter', () => {
    const telemetry = createTelemetry()
    const stop = telemetry.observe(new JunctionEvents())
    stop()
    expect(() =>
      telemetry.startOperationSpan({ ...origin, operation: { name: 'get' } }).end({ outcome: 'success' }),
    ).not.toThrow()
  })
})

describe('operation spans with the observe middleware', () => {
  const sim = itemsSimulator()
  let server: LoopbackServer
  beforeAll(async () => {
    server = await sim.listen()
  })
  afterAll(async () => {
    await sim.close()
  })

  it('carry the retries of every request of their operation', async () => {
    const tracer = memoryTracer()
    const telemetry = createTelemetry({ tracer })
    const { handler, close } = observedPipeline(pipelineContext(origin))
    const operation = { name: 'query', entity: 'Lead' }
    const other = { name: 'query', entity: 'Lead' }
    const span = telemetry.startOperationSpan({ ...origin, operation })
    const otherSpan = telemetry.startOperationSpan({ ...origin, operation: other })
    sim.faults.next({ kind: 'http-503', times: 2 })
    await handler(get(`${server.url}/items`, operation))
    sim.faults.next({ kind: 'http-503' })
    await handler(get(`${server.url}/items`, operation))
    await handler(get(`${server.url}/items`, other))
    span.end({ outcome: 'success' })
    otherSpan.end({ outcome: 'success' })
    await close()
    expect(tracer.spans.map((item) => item.attributes['junction.retries'])).toEqual([3, 0])
  })
})

describe('the optional OpenTelemetry peer', () => {
  it('is never imported by core’s own code', () => {
    const root = join(import.meta.dirname, '..')
    const sources = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes('test-support'),
    )
    expect(sources.length).toBeGreaterThan(50)
    const importing = sources.filter((file) =>
      /from '@opentelemetry\//.test(readFileSync(join(root, file), 'utf8')),
    )
    expect(importing).toEqual([])
  })
})
