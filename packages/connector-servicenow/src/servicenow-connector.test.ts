import { AuthError, ConfigError, type Connector, type EntityRecord, ValidationError } from '@junction/core'
import { afterEach, describe, expect, it } from 'vitest'
import { servicenow } from './servicenow-connector.js'
import { type ServiceNowSimulator, servicenowSimulator } from './testing/index.js'

const opened: Array<Connector | ServiceNowSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

function setUp(options: Parameters<typeof servicenowSimulator>[0] = {}, pageSize?: number) {
  const sim = servicenowSimulator(options)
  const requests: string[] = []
  const dispatcher = sim.dispatcher.compose((dispatch) => (request, handler) => {
    requests.push(`${String(request.origin)}${request.path}`)
    return dispatch(request, handler)
  })
  const itsm = servicenow({ instance: 'acme', auth: sim.auth, dispatcher, ...(pageSize ? { pageSize } : {}) })
  opened.push(itsm, sim)
  return { sim, itsm, requests }
}

async function collect(iterable: AsyncIterable<EntityRecord>): Promise<EntityRecord[]> {
  const records: EntityRecord[] = []
  for await (const record of iterable) records.push(record)
  return records
}

const incidents = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    number: `INC${String(10_000 + index).padStart(7, '0')}`,
    priority: 3,
  }))

describe('servicenow connector (in-process simulator)', () => {
  it('calls the instance named by the instance option', async () => {
    const { itsm, requests } = setUp()
    await collect(itsm.query('incident'))
    expect(requests[0]).toMatch(/^https:\/\/acme\.service-now\.com\/api\/now\/table\/incident\?/)
  })

  it('gets a row by sys_id, every value a string', async () => {
    const { sim, itsm } = setUp({
      tables: { incident: [{ number: 'INC0010001', priority: 2, active: true }] },
    })
    const [row] = sim.tables.rows('incident')

    const record = await itsm.get('incident', String(row?.sys_id))

    expect(record).toMatchObject({ number: 'INC0010001', priority: '2', active: 'true', sys_id: row?.sys_id })
  })

  it('returns undefined for a sys_id that does not exist', async () => {
    const { itsm } = setUp()
    expect(await itsm.get('incident', '00000000000000000000000000000000')).toBeUndefined()
  })

  it('reads a multi-page query by sys_id keyset, in order, none lost or repeated', async () => {
    const { sim, itsm, requests } = setUp({ tables: { incident: incidents(25) } }, 10)

    const records = await collect(itsm.query('incident', { select: ['number'] }))

    const expected = sim.tables
      .rows('incident')
      .map((row) => String(row.sys_id))
      .sort()
    expect(records.map((record) => record.sys_id)).toEqual(expected)
    expect(new Set(records.map((record) => record.number)).size).toBe(25)
    // Three full pages, then the empty page that ends a keyset read.
    expect(requests).toHaveLength(4)
    expect(decodeURIComponent(requests[1] ?? '')).toContain(
      `sysparm_query=sys_id>${expected[9]}^ORDERBYsys_id`,
    )
  })

  it('stops after the limit', async () => {
    const { itsm } = setUp({ tables: { incident: incidents(25) } }, 10)
    expect(await collect(itsm.query('incident', { limit: 12 }))).toHaveLength(12)
  })

  it('finds rows whose values hold quotes, backslashes and newlines, and only those', async () => {
    const values = ["O'Neil's laptop", 'C:\\Users\\x', 'line\nbreak', 'a=b', "' OR 1=1 --"]
    const rows = [...values, 'other', "O'Neil"].map((short_description) => ({ short_description }))
    const { itsm } = setUp({ tables: { incident: rows } })

    for (const value of values) {
      const found = await collect(
        itsm.query('incident', { select: ['short_description'], where: { short_description: value } }),
      )
      expect(found.map((record) => record.short_description)).toEqual([value])
    }
  })

  it('refuses a value with ^ before any request is sent', async () => {
    const { itsm, requests } = setUp({ tables: { incident: incidents(3) } })
    const error = await collect(itsm.query('incident', { where: { number: 'x^NQactive=true' } })).catch(
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(ValidationError)
    expect(requests).toEqual([])
  })

  it('creates rows with a result per record, a rejected one not losing the others', async () => {
    const { sim, itsm } = setUp({ tables: { incident: [] }, mandatory: { incident: ['short_description'] } })

    const results = await itsm.create('incident', [
      { short_description: 'VPN drops', urgency: 2 },
      { urgency: 1 },
      { short_description: 'Printer jam' },
    ])

    expect(results.map(({ ok, index }) => ({ ok, index }))).toEqual([
      { ok: true, index: 0 },
      { ok: false, index: 1 },
      { ok: true, index: 2 },
    ])
    const failed = results[1]
    expect(failed?.ok === false && failed.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      systemCode: 'Operation Failed',
      status: 403,
    })
    expect(
      sim.tables.rows('incident').map((row) => [row.sys_id, row.short_description, row.urgency]),
    ).toEqual([
      [results[0]?.id, 'VPN drops', '2'],
      [results[2]?.id, 'Printer jam', ''],
    ])
  })

  it('maps an error body to a typed error carrying the message as systemCode', async () => {
    const { itsm } = setUp()
    const error = await collect(itsm.query('incidentx')).catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      status: 400,
      systemCode: 'Invalid table incidentx',
      system: 'servicenow',
    })
  })

  it('refuses wrong credentials with an auth error', async () => {
    const sim = servicenowSimulator()
    const itsm = servicenow({
      instance: 'acme',
      auth: { type: 'basic', username: 'junction.sim', password: 'wrong' },
      dispatcher: sim.dispatcher,
    })
    opened.push(itsm, sim)

    const error = await itsm
      .get('incident', '00000000000000000000000000000000')
      .catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ status: 401, systemCode: 'User Not Authenticated' })
  })

  it('needs exactly one of instance and baseUrl', () => {
    expect(() => servicenow({ auth: { type: 'basic', username: 'u', password: 'p' } })).toThrow(ConfigError)
    expect(() =>
      servicenow({
        instance: 'acme',
        baseUrl: 'https://acme.service-now.com',
        auth: { type: 'basic', username: 'u', password: 'p' },
      }),
    ).toThrow(ConfigError)
  })
})

describe('servicenow connector (loopback server)', () => {
  it('creates, queries and reads over a real HTTP server', async () => {
    const sim = servicenowSimulator({ tables: { incident: incidents(5) } })
    const server = await sim.listen()
    const itsm = servicenow({ baseUrl: server.url, auth: sim.auth, pageSize: 2 })
    opened.push(itsm, sim)

    const [created] = await itsm.create('incident', [{ short_description: "It's down" }])
    const all = await collect(itsm.query('incident'))
    const read = await itsm.get('incident', String(created?.id))

    expect(created).toMatchObject({ ok: true })
    expect(all).toHaveLength(6)
    expect(read).toMatchObject({ sys_id: created?.id, short_description: "It's down" })
  })
})
