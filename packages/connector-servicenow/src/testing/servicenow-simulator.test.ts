import type { Connector } from '@junction/core'
import { afterEach, describe, expect, it } from 'vitest'
import { servicenow } from '../servicenow-connector.js'
import {
  type ServiceNowSimulator,
  type ServiceNowSimulatorOptions,
  servicenowSimulator,
} from './servicenow-simulator.js'

const opened: Array<Connector | ServiceNowSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

// Raw Table API calls through the connector's `request`, to see the wire as a client would.
function instance(options: ServiceNowSimulatorOptions = {}) {
  const sim = servicenowSimulator(options)
  const itsm = servicenow({ instance: 'dev00001', auth: sim.auth, dispatcher: sim.dispatcher })
  opened.push(itsm, sim)
  return (query: Record<string, string | number | boolean>) =>
    itsm.request<{ result: Array<Record<string, unknown>> }>({ path: 'api/now/table/incident', query })
}

const incidents = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ number: `INC${1000 + index}` }))
const links = (header: unknown) =>
  Object.fromEntries(
    String(header)
      .split(',')
      .map((part) => {
        const [, url = '', rel = ''] = /^<([^>]+)>;rel="(\w+)"$/.exec(part) ?? []
        return [rel, new URL(url).searchParams.get('sysparm_offset')]
      }),
  )

describe('servicenowSimulator', () => {
  it('pages by offset with X-Total-Count and a Link header whose first page has prev=-1', async () => {
    const list = instance({ tables: { incident: incidents(7) } })
    const first = await list({ sysparm_limit: 3 })
    expect(first.headers['x-total-count']).toBe('7')
    expect(links(first.headers.link)).toEqual({ first: '0', prev: '-1', next: '3', last: '6' })
    expect(first.headers['content-type']).toBe('application/json;charset=UTF-8')
  })

  it('leaves next out of the Link header on the last page', async () => {
    const list = instance({ tables: { incident: incidents(7) } })
    const last = await list({ sysparm_limit: 3, sysparm_offset: 6 })
    expect(last.body.result.map((row) => row.number)).toEqual(['INC1006'])
    expect(links(last.headers.link)).toEqual({ first: '0', prev: '3', last: '6' })
  })

  it('drops the count and the Link header when asked to', async () => {
    const list = instance({ tables: { incident: incidents(2) } })
    const page = await list({ sysparm_no_count: true, sysparm_suppress_pagination_header: true })
    expect(page.headers['x-total-count']).toBeUndefined()
    expect(page.headers.link).toBeUndefined()
  })

  it('returns every value as a string, empty as ""', async () => {
    const list = instance({ tables: { incident: [{ priority: 1, active: true, closed_at: null }] } })
    const [row] = (await list({})).body.result
    expect(row).toMatchObject({ priority: '1', active: 'true', closed_at: '', sys_mod_count: '0' })
    expect(row?.sys_id).toMatch(/^[0-9a-f]{32}$/)
  })

  it('ignores a query term on an unknown field, as the instance does by default', async () => {
    const list = instance({ tables: { incident: incidents(3) } })
    expect((await list({ sysparm_query: 'numbr=INC1000' })).body.result).toHaveLength(3)
  })

  it('returns no rows for an unknown field when glide.invalid_query.returns_no_rows is set', async () => {
    const list = instance({ tables: { incident: incidents(3) }, invalidQueryReturnsNoRows: true })
    expect((await list({ sysparm_query: 'numbr=INC1000' })).body.result).toEqual([])
  })

  it('sorts by ORDERBYDESC and compares with >', async () => {
    const list = instance({ tables: { incident: incidents(5) } })
    const rows = (await list({ sysparm_query: 'number>INC1001^ORDERBYDESCnumber' })).body.result
    expect(rows.map((row) => row.number)).toEqual(['INC1004', 'INC1003', 'INC1002'])
  })

  it('answers syntax it does not implement with a 400 rather than a wrong result', async () => {
    const list = instance({ tables: { incident: incidents(2) } })
    await expect(list({ sysparm_query: 'number=INC1000^ORnumber=INC1001' })).rejects.toMatchObject({
      status: 400,
    })
  })
})
