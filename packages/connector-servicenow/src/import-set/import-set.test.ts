import { afterEach, describe, expect, it } from 'vitest'
import { type ServiceNowConnector, servicenow } from '../servicenow-connector.js'
import {
  type ServiceNowSimulator,
  type ServiceNowSimulatorOptions,
  servicenowSimulator,
} from '../testing/index.js'

const opened: Array<ServiceNowConnector | ServiceNowSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

function setUp(options: ServiceNowSimulatorOptions = {}) {
  const sim = servicenowSimulator(options)
  const itsm = servicenow({ instance: 'acme', auth: sim.auth, dispatcher: sim.dispatcher })
  opened.push(itsm, sim)
  return { sim, itsm }
}

describe('importRows, one row per call', () => {
  it('reports inserted, updated, ignored and error rows as per-record write results', async () => {
    const { sim, itsm } = setUp({
      tables: { incident: [{ number: 'INC0077001', short_description: 'old' }] },
    })
    const existing = sim.tables.rows('incident')[0]?.sys_id
    const results = await itsm.importRows('u_incident_import', [
      { u_number: 'INC0077002', u_short_description: 'new', u_urgency: 1 },
      { u_number: 'INC0077001', u_short_description: 'changed' },
      { u_number: 'INC0077003' },
      { u_number: 'INC0077004', u_short_description: 'bad', u_impact: 7 },
    ])
    const inserted = sim.tables.rows('incident').find((row) => row.number === 'INC0077002')
    expect(
      results.map((result) =>
        result.ok
          ? { ok: true, id: result.id, created: result.created }
          : { ok: false, code: result.error.code },
      ),
    ).toEqual([
      { ok: true, id: inserted?.sys_id, created: true },
      { ok: true, id: existing, created: false },
      { ok: true, id: undefined, created: undefined },
      { ok: false, code: 'IMPORT_ROW_FAILED' },
    ])
    expect(results[2]).toMatchObject({
      warnings: ['ignored: No short description'],
      transforms: [{ status: 'ignored' }],
    })
    expect(results[3]?.ok === false && results[3].error.message).toContain('Choice rejected')
    expect(sim.tables.find('incident', String(existing)).short_description).toBe('changed')
  })

  it('fails only the row whose call failed', async () => {
    const { itsm } = setUp()
    const results = await itsm.importRows('u_no_such_import', [{ u_number: 'x' }])
    expect(results).toEqual([
      expect.objectContaining({
        ok: false,
        index: 0,
        error: expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      }),
    ])
  })
})

describe('importRows with insertMultiple', () => {
  it('sends chunks, waits for the async transforms and reports each row in input order', async () => {
    const { sim, itsm } = setUp()
    const rows = Array.from({ length: 5 }, (_, index) => ({
      Number: `INC00660${index}`,
      'Short description': index === 3 ? '' : `row ${index}`,
      Urgency: index === 4 ? '9' : '2',
    }))
    const results = await itsm.importRows('u_incident_import', rows, {
      mode: 'multiple',
      chunkSize: 2,
      pollIntervalMs: 1,
    })
    expect(results.map((result) => [result.index, result.ok, result.transforms[0]?.status])).toEqual([
      [0, true, 'inserted'],
      [1, true, 'inserted'],
      [2, true, 'inserted'],
      [3, true, 'ignored'],
      [4, false, 'error'],
    ])
    expect(results[0]?.id).toBe(sim.tables.rows('incident').find((row) => row.number === 'INC006600')?.sys_id)
    expect(sim.calls.filter((call) => call.endsWith('/insertMultiple'))).toHaveLength(3)
  })

  it('reads the outcome straight away when the instance transforms synchronously', async () => {
    const { itsm } = setUp({ insertMultiple: 'sync', insertMultipleKeys: 'name' })
    const results = await itsm.importRows(
      'u_incident_import',
      [{ u_number: 'INC0055001', u_short_description: 'x' }],
      { mode: 'multiple' },
    )
    expect(results).toEqual([expect.objectContaining({ ok: true, created: true })])
  })

  it('fails the rows still pending when the transforms do not finish in time', async () => {
    const { sim, itsm } = setUp()
    sim.faults.always({
      match: { path: '/api/now/table/sys_import_set_row' },
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { result: [] },
    })
    const results = await itsm.importRows(
      'u_incident_import',
      [{ Number: 'INC1', 'Short description': 'x' }],
      {
        mode: 'multiple',
        pollIntervalMs: 1,
        waitMs: 5,
      },
    )
    expect(results).toEqual([
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'TIMEOUT' }) }),
    ])
  })
})
