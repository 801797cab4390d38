import type { EntityRecord } from '@junction/core'
import { afterEach, describe, expect, it } from 'vitest'
import { type ServiceNowConnector, servicenow } from '../servicenow-connector.js'
import type { ServiceNowOptions } from '../servicenow-options.js'
import {
  type ServiceNowSimulator,
  type ServiceNowSimulatorOptions,
  servicenowSimulator,
} from '../testing/index.js'
import { keysetQuery } from './table-read.js'

const opened: Array<ServiceNowConnector | ServiceNowSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

function setUp(options: ServiceNowSimulatorOptions, connector: Partial<ServiceNowOptions> = {}) {
  const sim = servicenowSimulator(options)
  const urls: URL[] = []
  const dispatcher = sim.dispatcher.compose((dispatch) => (request, handler) => {
    urls.push(new URL(`${String(request.origin)}${request.path}`))
    return dispatch(request, handler)
  })
  const itsm = servicenow({ instance: 'acme', auth: sim.auth, dispatcher, ...connector } as ServiceNowOptions)
  opened.push(itsm, sim)
  return { sim, itsm, urls }
}

async function collect(iterable: AsyncIterable<EntityRecord>): Promise<EntityRecord[]> {
  const records: EntityRecord[] = []
  for await (const record of iterable) records.push(record)
  return records
}

const incidents = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ number: `INC${String(10_000 + index).padStart(7, '0')}` }))

describe('keysetQuery', () => {
  it('starts without a key and sorts by it', () => {
    expect(keysetQuery('active=true', 'sys_id', undefined)).toBe('active=true^ORDERBYsys_id')
  })

  it('ANDs the key onto every ^NQ group', () => {
    expect(keysetQuery('a=1^NQb=2', 'sys_id', { kind: 'sys_id', id: 'f0' })).toBe(
      'a=1^sys_id>f0^NQb=2^sys_id>f0^ORDERBYsys_id',
    )
  })

  it('pages sys_updated_on ties by sys_id', () => {
    expect(
      keysetQuery('', 'sys_updated_on', { kind: 'sys_updated_on', at: '2024-03-05 14:02:11', id: 'ab' }),
    ).toBe(
      'sys_updated_on>2024-03-05 14:02:11^NQsys_updated_on=2024-03-05 14:02:11^sys_id>ab^ORDERBYsys_updated_on^ORDERBYsys_id',
    )
  })

  it('refuses an ORDERBY of the caller under keyset paging', () => {
    expect(() => keysetQuery('ORDERBYnumber', 'sys_id', undefined)).toThrow(/offset/)
  })
})

describe('keyset paging', () => {
  it('reads a multi-page table by sys_id in order, none lost or repeated, without count queries when told', async () => {
    const { sim, itsm, urls } = setUp(
      { tables: { incident: incidents(25) } },
      { pageSize: 10, aclSafePaging: false },
    )
    const records = await collect(itsm.query('incident', { select: ['number'] }))
    const expected = sim.tables
      .rows('incident')
      .map((row) => String(row.sys_id))
      .sort()
    expect(records.map((record) => record.sys_id)).toEqual(expected)
    // Three full pages, then the empty page that ends a keyset read without a count.
    expect(urls).toHaveLength(4)
    expect(urls[1]?.searchParams.get('sysparm_query')).toBe(`sys_id>${expected[9]}^ORDERBYsys_id`)
    expect(urls[1]?.searchParams.get('sysparm_no_count')).toBe('true')
  })

  it('ends on the count, saving the empty last page', async () => {
    const { itsm, urls } = setUp({ tables: { incident: incidents(25) } }, { pageSize: 10 })
    expect(await collect(itsm.query('incident'))).toHaveLength(25)
    expect(urls).toHaveLength(3)
  })

  it('reads past a page an ACL emptied, which a read stopping on an empty page would miss', async () => {
    const rows = incidents(25).map((row, index) => ({ ...row, sys_id: index.toString(16).padStart(32, '0') }))
    // The ten lowest sys_ids are hidden, so the whole first keyset window comes back empty.
    const hidden = new Set(rows.slice(0, 10).map((row) => row.sys_id))
    const { sim, itsm } = setUp(
      { tables: { incident: rows }, hidden: (_table, row) => hidden.has(row.sys_id ?? '') },
      { pageSize: 10 },
    )
    const records = await collect(itsm.query('incident'))
    expect(records.map((record) => record.sys_id)).toEqual(rows.slice(10).map((row) => row.sys_id))

    const naive = servicenow({
      instance: 'acme',
      auth: sim.auth,
      dispatcher: sim.dispatcher,
      pageSize: 10,
      aclSafePaging: false,
    })
    opened.push(naive)
    expect(await collect(naive.query('incident'))).toEqual([])
  })

  it('pages by sys_updated_on then sys_id, so rows sharing a second are neither lost nor repeated', async () => {
    const rows = incidents(12).map((row, index) => ({
      ...row,
      sys_updated_on: `2024-03-05 14:00:0${index % 3}`,
    }))
    const { itsm } = setUp({ tables: { incident: rows } }, { pageSize: 5, keyset: 'sys_updated_on' })
    const records = await collect(itsm.query('incident'))
    expect(new Set(records.map((record) => record.sys_id)).size).toBe(12)
    const order = records.map((record) => `${record.sys_updated_on} ${record.sys_id}`)
    expect(order).toEqual([...order].sort())
  })

  it('refuses to page on sys_updated_on display values, which are in the user time zone', async () => {
    const { itsm, urls } = setUp(
      { tables: { incident: incidents(2) } },
      { keyset: 'sys_updated_on', displayValue: 'true' },
    )
    await expect(collect(itsm.query('incident'))).rejects.toMatchObject({ code: 'INVALID_CONFIG' })
    expect(urls).toEqual([])
  })

  it('pages on sys_updated_on with display values when both shapes are asked for', async () => {
    const { itsm } = setUp(
      { tables: { incident: incidents(7) } },
      { keyset: 'sys_updated_on', displayValue: 'all', pageSize: 3 },
    )
    expect(await collect(itsm.query('incident'))).toHaveLength(7)
  })

  it('stops after the limit', async () => {
    const { itsm } = setUp({ tables: { incident: incidents(25) } }, { pageSize: 10 })
    expect(await collect(itsm.query('incident', { limit: 12 }))).toHaveLength(12)
  })

  it('loses and repeats nothing while rows are inserted between pages', async () => {
    const { sim, itsm } = setUp({ tables: { incident: incidents(40) } }, { pageSize: 10 })
    const before = new Set(sim.tables.rows('incident').map((row) => String(row.sys_id)))
    const seen: string[] = []
    for await (const record of itsm.query('incident')) {
      seen.push(String(record.sys_id))
      if (seen.length % 10 === 0)
        for (let i = 0; i < 5; i++) sim.tables.insert('incident', { short_description: 'late' }, 'other')
    }
    expect(new Set(seen).size).toBe(seen.length)
    expect([...before].every((id) => seen.includes(id))).toBe(true)
  })
})

describe('offset paging', () => {
  it('follows Link rel="next" sorted by sys_id when no order is given', async () => {
    const { itsm, urls } = setUp({ tables: { incident: incidents(7) } }, { paging: 'offset', pageSize: 3 })
    expect(await collect(itsm.query('incident'))).toHaveLength(7)
    expect(urls.map((url) => url.searchParams.get('sysparm_offset'))).toEqual(['0', '3', '6'])
    expect(urls[0]?.searchParams.get('sysparm_query')).toBe('ORDERBYsys_id')
  })

  it('sorts by orderBy', async () => {
    const { itsm } = setUp({ tables: { incident: incidents(5) } }, { paging: 'offset', pageSize: 2 })
    const records = await collect(
      itsm.query('incident', { orderBy: [{ field: 'number', direction: 'desc' }] }),
    )
    expect(records.map((record) => record.number)).toEqual([
      'INC0010004',
      'INC0010003',
      'INC0010002',
      'INC0010001',
      'INC0010000',
    ])
  })

  it('does not stop on a page an ACL emptied', async () => {
    const { itsm } = setUp(
      {
        tables: { incident: incidents(9) },
        hidden: (_table, row) => ['INC0010003', 'INC0010004', 'INC0010005'].includes(row.number ?? ''),
      },
      { paging: 'offset', pageSize: 3 },
    )
    const records = await collect(itsm.query('incident', { orderBy: [{ field: 'number' }] }))
    expect(records.map((record) => record.number)).toEqual([
      'INC0010000',
      'INC0010001',
      'INC0010002',
      'INC0010006',
      'INC0010007',
      'INC0010008',
    ])
  })

  it('repeats rows when rows are inserted before the offset meanwhile, which keyset paging avoids', async () => {
    const { sim, itsm } = setUp({ tables: { incident: incidents(20) } }, { paging: 'offset', pageSize: 5 })
    const seen: string[] = []
    for await (const record of itsm.query('incident')) {
      seen.push(String(record.sys_id))
      // sys_id 000… sorts first: each insert shifts every later page by one row.
      if (seen.length % 5 === 0)
        sim.tables.insert('incident', { sys_id: `${String(seen.length).padStart(32, '0')}` }, 'other')
    }
    expect(new Set(seen).size).toBeLessThan(seen.length)
  })
})
