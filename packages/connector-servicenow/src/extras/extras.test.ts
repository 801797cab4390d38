import { Readable } from 'node:stream'
import type { Change } from '@junction/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type ServiceNowConnector, servicenow } from '../servicenow-connector.js'
import {
  type ServiceNowSimulator,
  type ServiceNowSimulatorOptions,
  servicenowSimulator,
} from '../testing/index.js'
import type { ServiceNowChangesOptions } from './changes.js'

const opened: Array<ServiceNowConnector | ServiceNowSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

function setUp(options: ServiceNowSimulatorOptions = {}) {
  const sim = servicenowSimulator(options)
  const itsm = servicenow({ instance: 'acme', auth: sim.auth, dispatcher: sim.dispatcher, pageSize: 3 })
  opened.push(itsm, sim)
  return { sim, itsm }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of iterable) items.push(item)
  return items
}

describe('aggregate', () => {
  it('counts, sums and averages by group, counts as numbers and figures as exact text', async () => {
    const { itsm } = setUp({
      tables: {
        incident: [
          { state: '1', reassignment_count: 1 },
          { state: '1', reassignment_count: 2 },
          { state: '2', reassignment_count: 4 },
        ],
      },
    })
    expect(await itsm.aggregate('incident', {})).toEqual([{ by: {}, count: 3 }])
    expect(await itsm.aggregate('incident', { where: { state: '1' }, sum: ['reassignment_count'] })).toEqual([
      { by: {}, count: 2, sum: { reassignment_count: '3' } },
    ])
    expect(await itsm.aggregate('incident', { groupBy: ['state'], avg: ['reassignment_count'] })).toEqual([
      { by: { state: '1' }, count: 2, avg: { reassignment_count: '1.5000' } },
      { by: { state: '2' }, count: 1, avg: { reassignment_count: '4.0000' } },
    ])
  })
})

describe('batch', () => {
  it('runs gets, creates, updates and deletes through /api/now/v1/batch with one result each', async () => {
    const { sim, itsm } = setUp({ tables: { incident: [{ number: 'INC1' }, { number: 'INC2' }] } })
    const [first, second] = sim.tables.rows('incident')
    const results = await itsm.batch([
      { op: 'get', entity: 'incident', id: String(first?.sys_id) },
      { op: 'create', entity: 'incident', record: { short_description: 'batched' } },
      { op: 'update', entity: 'incident', update: { id: String(first?.sys_id), values: { state: '2' } } },
      { op: 'delete', entity: 'incident', id: String(second?.sys_id) },
      { op: 'get', entity: 'incident', id: '0123456789abcdef0123456789abcdef' },
      { op: 'upsert', entity: 'incident', record: {}, externalId: 'number' },
    ])
    expect(results.map((result) => result.ok)).toEqual([true, true, true, true, true, false])
    expect(results[0]?.record).toMatchObject({ number: 'INC1' })
    expect(results[4]?.record).toBeUndefined()
    expect(results[5]?.ok === false && results[5].error.code).toBe('NOT_SUPPORTED')
    expect(sim.tables.find('incident', String(first?.sys_id)).state).toBe('2')
    expect(sim.tables.rows('incident').map((row) => row.short_description)).toContain('batched')
    expect(sim.calls.filter((call) => call === 'POST /api/now/v1/batch')).toHaveLength(1)
  })

  it('sends unserviced items again', async () => {
    const { sim, itsm } = setUp({ batchMaxServiced: 2 })
    const results = await itsm.batch(
      Array.from({ length: 5 }, (_, index) => ({
        op: 'create' as const,
        entity: 'incident',
        record: { short_description: `b${index}` },
      })),
    )
    expect(results.every((result) => result.ok)).toBe(true)
    expect(sim.tables.count('incident')).toBe(5)
    expect(sim.calls.filter((call) => call === 'POST /api/now/v1/batch')).toHaveLength(3)
  })

  it('fails items still unserviced after three rounds', async () => {
    const { itsm } = setUp({ batchMaxServiced: 1 })
    const results = await itsm.batch(
      Array.from({ length: 5 }, (_, index) => ({
        op: 'create' as const,
        entity: 'incident',
        record: { short_description: `b${index}` },
      })),
    )
    expect(results.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual([
      'ok',
      'ok',
      'ok',
      'BATCH_UNSERVICED',
      'BATCH_UNSERVICED',
    ])
  })
})

describe('attachments', () => {
  it('uploads a stream and downloads it as a stream with its metadata', async () => {
    const { sim, itsm } = setUp({ tables: { incident: [{ number: 'INC1' }] } })
    const id = String(sim.tables.rows('incident')[0]?.sys_id)
    const chunks = ['line one\n', 'line two\n']
    const meta = await itsm.attach('incident', id, {
      fileName: 'log.txt',
      contentType: 'text/plain',
      body: Readable.from(chunks.map((chunk) => Buffer.from(chunk))),
    })
    expect(meta).toMatchObject({ file_name: 'log.txt', size_bytes: '18', table_sys_id: id })
    expect(await itsm.attachments('incident', id)).toEqual([meta])
    const downloaded = await itsm.download(String(meta.sys_id))
    const received: Buffer[] = []
    for await (const chunk of downloaded.body) received.push(Buffer.from(chunk))
    expect(Buffer.concat(received).toString()).toBe(chunks.join(''))
    expect(downloaded.metadata).toMatchObject({ file_name: 'log.txt' })
    await itsm.deleteAttachment(String(meta.sys_id))
    expect(await itsm.attachments('incident', id)).toEqual([])
  })

  it('refuses an attachment to a record that does not exist', async () => {
    const { itsm } = setUp()
    const error = await itsm
      .attach('incident', '0123456789abcdef0123456789abcdef', {
        fileName: 'a.txt',
        contentType: 'text/plain',
        body: Buffer.from('x'),
      })
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404 })
  })
})

describe('changes', () => {
  it('reads upserts in sys_updated_on order, then deletes from sys_audit_delete, and resumes from a cursor', async () => {
    let clock = Date.parse('2024-03-05T14:00:00Z')
    const { sim, itsm } = setUp({ now: () => new Date(clock) })
    const a = sim.tables.insert('incident', { number: 'A' }, 'x')
    const b = sim.tables.insert('incident', { number: 'B' }, 'x')
    clock += 1000
    const c = sim.tables.insert('incident', { number: 'C' }, 'x')
    const first = await collect(itsm.changes('incident'))
    expect(first.map((change) => [change.kind, change.id])).toEqual([
      ...[a, b].map((row) => ['upsert', row.sys_id]).sort((x, y) => String(x[1]).localeCompare(String(y[1]))),
      ['upsert', c.sys_id],
    ])
    expect(first[2]?.changedAt).toEqual(new Date('2024-03-05T14:00:01Z'))

    clock += 1000
    sim.tables.update('incident', String(a.sys_id), { state: '2' }, 'x')
    sim.tables.delete('incident', String(b.sys_id), 'x')
    const next = await collect(itsm.changes('incident', { cursor: first.at(-1)?.cursor }))
    expect(next.map((change) => [change.kind, change.id])).toEqual([
      ['upsert', a.sys_id],
      ['delete', b.sys_id],
    ])
    const after = await collect(itsm.changes('incident', { cursor: next.at(-1)?.cursor }))
    expect(after).toEqual([])
  })

  it('does not miss a row written later within the last second a read returned', async () => {
    const clock = Date.parse('2024-03-05T14:00:00Z')
    const { sim, itsm } = setUp({ now: () => new Date(clock) })
    const late = 'f'.repeat(32)
    sim.tables.insert('incident', { number: 'A', sys_id: late }, 'x')
    const first = await collect(itsm.changes('incident', { deletes: false } as ServiceNowChangesOptions))
    // Same second, a smaller sys_id than the last key: a plain keyset resume would skip it.
    const early = sim.tables.insert('incident', { number: 'B', sys_id: '0'.repeat(32) }, 'x')
    sim.tables.update('incident', late, { state: '2' }, 'x')
    const next = await collect(itsm.changes('incident', { cursor: first.at(-1)?.cursor }))
    expect(next.map((change) => change.id)).toEqual([early.sys_id, late])
    const after = await collect(itsm.changes('incident', { cursor: next.at(-1)?.cursor }))
    expect(after).toEqual([])
  })

  it('starts at a point in time', async () => {
    let clock = Date.parse('2024-03-05T14:00:00Z')
    const { sim, itsm } = setUp({ now: () => new Date(clock) })
    sim.tables.insert('incident', { number: 'old' }, 'x')
    clock += 60_000
    const recent = sim.tables.insert('incident', { number: 'new' }, 'x')
    const options: ServiceNowChangesOptions = { since: new Date('2024-03-05T14:01:00Z'), deletes: false }
    const changes: Change[] = await collect(itsm.changes('incident', options))
    expect(changes.map((change) => change.id)).toEqual([recent.sys_id])
  })

  it('skips deletes with a warning when sys_audit_delete cannot be read', async () => {
    const sim = servicenowSimulator({ tables: { incident: [{ number: 'A' }] } })
    const warn = vi.fn()
    const itsm = servicenow({
      instance: 'acme',
      auth: sim.auth,
      dispatcher: sim.dispatcher,
      logger: { debug: vi.fn(), info: vi.fn(), warn, error: vi.fn() },
    })
    opened.push(itsm, sim)
    sim.faults.always({
      match: { path: '/api/now/table/sys_audit_delete' },
      status: 403,
      headers: { 'content-type': 'application/json' },
      body: { error: { message: 'Insufficient rights to query records', detail: null }, status: 'failure' },
    })
    const changes = await collect(itsm.changes('incident'))
    expect(changes.map((change) => change.kind)).toEqual(['upsert'])
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'FORBIDDEN' }),
      expect.stringContaining('sys_audit_delete'),
    )
  })

  it('refuses a cursor it did not write', async () => {
    const { itsm } = setUp()
    await expect(collect(itsm.changes('incident', { cursor: 'nonsense' }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })
})
