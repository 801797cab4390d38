import {
  approvalGate,
  auditTrail,
  type EntityRecord,
  memoryAudit,
  memoryStore,
  type Transformer,
  transformFailure,
  transformSuccess,
  writeBack,
} from '@junction/core'
import { afterEach, describe, expect, it } from 'vitest'
import { type ServiceNowConnector, servicenow } from '../servicenow-connector.js'
import type { ServiceNowOptions } from '../servicenow-options.js'
import {
  type ServiceNowSimulator,
  type ServiceNowSimulatorOptions,
  servicenowSimulator,
} from '../testing/index.js'
import type { ImportResult } from './import-results.js'
import { type ImportSetTargetOptions, importSetTarget } from './import-set-target.js'

const opened: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

/** A canonical result: the triage model's verdict on an incident. */
interface Triage {
  incident: string
  summary: string
  urgency: number
}

const toStaging = (triage: Triage): EntityRecord => ({
  u_number: triage.incident,
  u_short_description: triage.summary,
  u_urgency: String(triage.urgency),
})

function setUp(
  simulator: ServiceNowSimulatorOptions = {},
  target: Partial<ImportSetTargetOptions<Triage>> = {},
  connector: Partial<ServiceNowOptions> = {},
) {
  const sim: ServiceNowSimulator = servicenowSimulator({
    tables: { incident: [{ number: 'INC0077001', short_description: 'Mail is down', urgency: '3' }] },
    ...simulator,
  })
  const itsm: ServiceNowConnector = servicenow({
    instance: 'acme',
    name: 'itsm',
    auth: sim.auth,
    dispatcher: sim.dispatcher,
    ...connector,
  } as ServiceNowOptions)
  opened.push(itsm, sim)
  const incidents = importSetTarget<Triage>(itsm, {
    staging: 'u_incident_import',
    map: toStaging,
    pollIntervalMs: 1,
    ...target,
  })
  const existing = String(sim.tables.rows('incident')[0]?.sys_id)
  const calls = (call: string) => sim.calls.filter((made) => made === call).length
  return { sim, itsm, incidents, existing, calls }
}

const context = { signal: undefined, correlationId: undefined }

// The four outcomes the simulator's transform map gives: insert, coalesce-update, ignore (no summary), error (bad urgency).
const mixed: Triage[] = [
  { incident: 'INC0077002', summary: 'VPN drops', urgency: 1 },
  { incident: 'INC0077001', summary: 'Mail is back', urgency: 2 },
  { incident: 'INC0077003', summary: '', urgency: 2 },
  { incident: 'INC0077004', summary: 'Printer', urgency: 7 },
]

const outcome = (result: ImportResult) =>
  result.ok
    ? { index: result.index, ok: true, id: result.id, created: result.created }
    : { index: result.index, ok: false, code: result.error.code }

describe('importSetTarget', () => {
  it('writes through insertMultiple and reports each row as the transform left it', async () => {
    const { sim, incidents, existing, calls } = setUp()
    const results = await incidents.write(mixed, context)
    const inserted = sim.tables.rows('incident').find((row) => row.number === 'INC0077002')
    expect(results.map(outcome)).toEqual([
      { index: 0, ok: true, id: inserted?.sys_id, created: true },
      { index: 1, ok: true, id: existing, created: false },
      { index: 2, ok: true, id: undefined, created: undefined },
      { index: 3, ok: false, code: 'IMPORT_ROW_FAILED' },
    ])
    expect(results[2]).toMatchObject({ warnings: ['ignored: No short description'] })
    expect(results[3]?.ok === false && results[3].error.message).toContain('Choice rejected')
    expect(sim.tables.find('incident', existing)).toMatchObject({
      short_description: 'Mail is back',
      urgency: '2',
    })
    expect(calls('POST /api/now/import/u_incident_import/insertMultiple')).toBe(1)
    expect(calls('POST /api/now/table/incident')).toBe(0)
  })

  it('reads the staging labels once for every later write', async () => {
    const { incidents, calls } = setUp()
    await incidents.write(mixed.slice(0, 1), context)
    await incidents.write(mixed.slice(1, 2), context)
    expect(calls('GET /api/now/table/sys_dictionary')).toBe(1)
    expect(calls('POST /api/now/import/u_incident_import/insertMultiple')).toBe(2)
  })

  it('calls nothing and returns no results for no records', async () => {
    const { sim, incidents } = setUp()
    expect(await incidents.write([], context)).toEqual([])
    expect(sim.calls).toEqual([])
  })

  it('sends column names as they are when the instance maps insertMultiple by name', async () => {
    const { sim, incidents, calls } = setUp({ insertMultipleKeys: 'name' }, { keys: 'name' })
    const results = await incidents.write(mixed.slice(0, 1), context)
    expect(results.map(outcome)).toEqual([expect.objectContaining({ ok: true, created: true })])
    expect(sim.tables.findBy('incident', { number: 'INC0077002' })?.short_description).toBe('VPN drops')
    expect(calls('GET /api/now/table/sys_dictionary')).toBe(0)
  })

  it('writes one synchronous import per row in single mode', async () => {
    const { existing, incidents, calls } = setUp({}, { mode: 'single' })
    const results = await incidents.write(mixed, context)
    expect(results.map((result) => [result.ok, result.transforms[0]?.status])).toEqual([
      [true, 'inserted'],
      [true, 'updated'],
      [true, 'ignored'],
      [false, 'error'],
    ])
    expect(results[1]?.id).toBe(existing)
    expect(calls('POST /api/now/import/u_incident_import')).toBe(4)
    expect(calls('GET /api/now/table/sys_dictionary')).toBe(0)
  })

  it('fails a record the map refuses without sending it, and keeps the others at their indexes', async () => {
    const checked: Transformer<Triage, EntityRecord> = {
      name: 'triage-to-staging',
      transform: (triage) =>
        triage.incident.startsWith('INC')
          ? transformSuccess(toStaging(triage))
          : transformFailure('invalid_format', 'incident must be an incident number'),
    }
    const { sim, incidents } = setUp({}, { map: checked })
    const results = await incidents.write(
      [mixed[0] as Triage, { incident: 'CHG0001', summary: 'x', urgency: 1 }, mixed[1] as Triage],
      context,
    )
    expect(results.map(outcome)).toEqual([
      expect.objectContaining({ index: 0, ok: true, created: true }),
      { index: 1, ok: false, code: 'VALIDATION_FAILED' },
      expect.objectContaining({ index: 2, ok: true, created: false }),
    ])
    expect(sim.tables.rows('u_incident_import')).toHaveLength(2)
  })

  it('fails a record naming a column the staging table lacks, as insertMultiple would drop its value', async () => {
    const { sim, incidents } = setUp(
      {},
      { map: (triage) => ({ ...toStaging(triage), u_assignment_group: 'Network' }) },
    )
    const [result] = await incidents.write(mixed.slice(0, 1), context)
    expect(result?.ok === false && result.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('"u_assignment_group"'),
    })
    expect(sim.tables.rows('u_incident_import')).toHaveLength(0)
  })

  it('fails every record when the staging labels cannot be read, and reads them again next time', async () => {
    const { sim, incidents } = setUp()
    sim.faults.next({
      match: { path: '/api/now/table/sys_dictionary' },
      status: 403,
      headers: { 'content-type': 'application/json' },
      body: { error: { message: 'Insufficient rights', detail: null }, status: 'failure' },
    })
    const refused = await incidents.write(mixed.slice(0, 2), context)
    expect(refused.map(outcome)).toEqual([
      { index: 0, ok: false, code: 'FORBIDDEN' },
      { index: 1, ok: false, code: 'FORBIDDEN' },
    ])
    expect(sim.tables.rows('u_incident_import')).toHaveLength(0)
    const written = await incidents.write(mixed.slice(0, 2), context)
    expect(written.map((result) => result.ok)).toEqual([true, true])
  })

  it('fails only the rows of a chunk whose insertMultiple call failed', async () => {
    const { sim, incidents } = setUp({}, { chunkSize: 2 })
    sim.faults.next({
      match: { path: '/api/now/import/u_incident_import/insertMultiple' },
      status: 403,
      headers: { 'content-type': 'application/json' },
      body: { error: { message: 'Insufficient rights', detail: null }, status: 'failure' },
    })
    const results = await incidents.write(mixed.slice(0, 3), context)
    expect(results.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
      'ok',
    ])
  })

  it('updates on a replay instead of inserting again, as the transform map coalesces', async () => {
    const { sim, incidents } = setUp()
    const first = await writeBack({ targets: [incidents], records: mixed.slice(0, 1) })
    const second = await writeBack({ targets: [incidents], records: mixed.slice(0, 1) })
    expect([first.ok, second.ok]).toEqual([true, true])
    expect(second.targets[0]?.results[0]).toMatchObject({
      created: false,
      id: first.targets[0]?.results[0]?.id,
    })
    expect(sim.tables.rows('incident').filter((row) => row.number === 'INC0077002')).toHaveLength(1)
  })

  it('writes nothing until approved, then records each row’s outcome on the request', async () => {
    const { sim, incidents } = setUp()
    const sink = memoryAudit()
    const gate = approvalGate<Triage>({
      store: memoryStore(),
      audit: auditTrail(sink, { actor: { type: 'service', id: 'incident-triage' } }),
      targets: [incidents],
    })
    const pending = await gate.submit({
      records: mixed,
      requestedBy: 'triage-job',
      model: { name: 'triage', version: '1.0.0' },
    })
    expect(sim.tables.rows('u_incident_import')).toHaveLength(0)
    const { request, result } = await gate.approve(pending.id, { by: 'lead@example.com' })
    expect(result.ok).toBe(false)
    expect(request.status).toBe('approved')
    expect(request.outcomes?.itsm?.map((stored) => stored.error?.code ?? 'ok')).toEqual([
      'ok',
      'ok',
      'ok',
      'IMPORT_ROW_FAILED',
    ])
    expect(sim.tables.findBy('incident', { number: 'INC0077002' })).toBeDefined()
  })

  it('passes the correlation id on to the connector’s audit events', async () => {
    const sink = memoryAudit()
    const { incidents } = setUp({}, {}, { audit: sink })
    await writeBack({ targets: [incidents], records: mixed.slice(0, 1), correlationId: 'approval-42' })
    expect(sink.events.find((event) => event.operation === 'import')).toMatchObject({
      correlationId: 'approval-42',
      entity: 'u_incident_import',
    })
  })

  it('fails every record when sys_dictionary lists no columns of the staging table', async () => {
    const { itsm } = setUp()
    const unknown = importSetTarget<Triage>(itsm, { staging: 'u_no_such_import', map: toStaging })
    const results = await unknown.write(mixed.slice(0, 2), context)
    expect(results.map(outcome)).toEqual([
      { index: 0, ok: false, code: 'VALIDATION_FAILED' },
      { index: 1, ok: false, code: 'VALIDATION_FAILED' },
    ])
    expect(results[0]?.ok === false && results[0].error.message).toContain("keys: 'name'")
  })

  it('refuses a connector that is not a ServiceNow one', () => {
    const { itsm } = setUp()
    const plain = { ...itsm, importRows: undefined } as unknown as ServiceNowConnector
    expect(() => importSetTarget(plain, { staging: 'u_incident_import' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: 'connector' }),
    )
  })

  it('refuses a staging option that is not a table name', () => {
    const { itsm } = setUp()
    expect(() => importSetTarget(itsm, { staging: 'u_incident_import^ORDERBYx' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    )
  })
})
