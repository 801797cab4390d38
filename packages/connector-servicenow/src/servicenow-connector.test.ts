import { Readable } from 'node:stream'
import {
  AuthError,
  ConfigError,
  type EntityRecord,
  isJunctionError,
  type Logger,
  ValidationError,
} from '@junction/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type ServiceNowConnector, servicenow } from './servicenow-connector.js'
import type { ServiceNowOptions } from './servicenow-options.js'
import { columnKinds, typedRecord } from './table/typed-record.js'
import {
  type ServiceNowSimulator,
  type ServiceNowSimulatorOptions,
  serviceNowFaults,
  servicenowSimulator,
} from './testing/index.js'

const opened: Array<ServiceNowConnector | ServiceNowSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

function setUp(options: ServiceNowSimulatorOptions = {}, connector: Partial<ServiceNowOptions> = {}) {
  const sim = servicenowSimulator(options)
  const requests: string[] = []
  const dispatcher = sim.dispatcher.compose((dispatch) => (request, handler) => {
    requests.push(`${request.method} ${String(request.origin)}${request.path}`)
    return dispatch(request, handler)
  })
  const itsm = servicenow({
    instance: 'acme',
    auth: sim.auth,
    dispatcher,
    retry: { baseMs: 1, throttleBaseMs: 1, capMs: 2 },
    ...connector,
  } as ServiceNowOptions)
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
    short_description: `Issue ${index}`,
  }))

describe('servicenow connector: auth', () => {
  it('calls the instance named by the instance option with basic auth', async () => {
    const { itsm, requests } = setUp()
    await collect(itsm.query('incident'))
    expect(requests[0]).toMatch(/^GET https:\/\/acme\.service-now\.com\/api\/now\/table\/incident\?/)
  })

  it('gets an OAuth token from the instance /oauth_token.do with the password grant', async () => {
    const sim = servicenowSimulator({
      oauth: { clientId: 'cid', clientSecret: 'secret' },
      tables: { incident: incidents(1) },
    })
    const itsm = servicenow({
      instance: 'acme',
      dispatcher: sim.dispatcher,
      auth: {
        type: 'oauth2-password',
        clientId: 'cid',
        clientSecret: 'secret',
        username: 'junction.sim',
        password: 'sim-password',
      },
    })
    opened.push(itsm, sim)
    expect(await collect(itsm.query('incident'))).toHaveLength(1)
    expect(sim.oauth.grants).toEqual({ password: 1 })
  })

  it('renews with the refresh_token grant after the instance expired the token', async () => {
    const sim = servicenowSimulator({
      oauth: { clientId: 'cid', clientSecret: 'secret' },
      tables: { incident: incidents(1) },
    })
    opened.push(sim)
    const seed = await fetch('https://acme.service-now.com/oauth_token.do', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&client_id=cid&client_secret=secret&username=junction.sim&password=sim-password',
      dispatcher: sim.dispatcher,
    } as unknown as RequestInit)
    const { refresh_token: refreshToken } = (await seed.json()) as { refresh_token: string }
    const itsm = servicenow({
      instance: 'acme',
      dispatcher: sim.dispatcher,
      auth: { type: 'oauth2-refresh-token', clientId: 'cid', clientSecret: 'secret', refreshToken },
    })
    opened.push(itsm)
    await collect(itsm.query('incident'))
    sim.oauth.expireAccessTokens()
    expect(await collect(itsm.query('incident'))).toHaveLength(1)
    expect(sim.oauth.grants.refresh_token).toBe(2)
  })

  it('uses the client_credentials grant where the instance enables it', async () => {
    const sim = servicenowSimulator({
      oauth: { clientId: 'cid', clientSecret: 'secret', clientCredentials: true },
    })
    const itsm = servicenow({
      instance: 'acme',
      dispatcher: sim.dispatcher,
      auth: { type: 'oauth2-client-credentials', clientId: 'cid', clientSecret: 'secret' },
    })
    opened.push(itsm, sim)
    await collect(itsm.query('incident'))
    expect(sim.oauth.grants).toEqual({ client_credentials: 1 })
  })

  it('reports the token endpoint opaque 401 as a token request failure without the secret', async () => {
    const sim = servicenowSimulator({ oauth: { clientId: 'cid', clientSecret: 'secret' } })
    const itsm = servicenow({
      instance: 'acme',
      dispatcher: sim.dispatcher,
      auth: { type: 'oauth2-client-credentials', clientId: 'cid', clientSecret: 'secret' },
    })
    opened.push(itsm, sim)
    const error = await collect(itsm.query('incident')).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', status: 401, systemCode: 'server_error' })
    expect(JSON.stringify(error)).not.toContain('secret')
  })

  it('sends an API key header', async () => {
    const sim = servicenowSimulator({ apiKey: 'k-123' })
    const itsm = servicenow({
      instance: 'acme',
      dispatcher: sim.dispatcher,
      auth: { type: 'header', name: 'x-sn-apikey', value: 'k-123' },
    })
    opened.push(itsm, sim)
    expect(await collect(itsm.query('incident'))).toEqual([])
  })

  it('sends a bearer token obtained elsewhere', async () => {
    const sim = servicenowSimulator({
      oauth: { clientId: 'cid', clientSecret: 'secret', clientCredentials: true },
    })
    opened.push(sim)
    const granted = await fetch('https://acme.service-now.com/oauth_token.do', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=cid&client_secret=secret',
      dispatcher: sim.dispatcher,
    } as unknown as RequestInit)
    const { access_token: token } = (await granted.json()) as { access_token: string }
    const itsm = servicenow({ instance: 'acme', dispatcher: sim.dispatcher, auth: { type: 'bearer', token } })
    opened.push(itsm)
    expect(await collect(itsm.query('incident'))).toEqual([])
  })

  it('refuses wrong basic credentials with an auth error', async () => {
    const sim = servicenowSimulator()
    const itsm = servicenow({
      instance: 'acme',
      auth: { type: 'basic', username: 'junction.sim', password: 'wrong' },
      dispatcher: sim.dispatcher,
    })
    opened.push(itsm, sim)
    const error = await itsm
      .get('incident', '0123456789abcdef0123456789abcdef')
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

describe('servicenow connector: Table API records', () => {
  it('gets a row by sys_id with references as {link, value} and every value a string', async () => {
    const { sim, itsm } = setUp()
    const user = sim.tables.insert('sys_user', { name: 'Beth Anglin' }, 'admin')
    const row = sim.tables.insert(
      'incident',
      { number: 'INC0010001', caller_id: user.sys_id, reassignment_count: 2 },
      'admin',
    )
    const record = await itsm.get('incident', String(row.sys_id))
    expect(record).toMatchObject({
      number: 'INC0010001',
      reassignment_count: '2',
      assigned_to: '',
      caller_id: {
        link: `https://acme.service-now.com/api/now/table/sys_user/${user.sys_id}`,
        value: user.sys_id,
      },
    })
  })

  it('returns display values, or both, when asked', async () => {
    const { sim, itsm } = setUp({}, { displayValue: 'all', excludeReferenceLink: true })
    const user = sim.tables.insert('sys_user', { name: 'Beth Anglin' }, 'admin')
    const row = sim.tables.insert('incident', { state: '2', caller_id: user.sys_id }, 'admin')
    const record = await itsm.get('incident', String(row.sys_id))
    expect(record).toMatchObject({
      state: { display_value: 'In Progress', value: '2' },
      caller_id: { display_value: 'Beth Anglin', value: user.sys_id },
    })
  })

  it('returns undefined for a sys_id that does not exist', async () => {
    const { itsm } = setUp()
    expect(await itsm.get('incident', '0123456789abcdef0123456789abcdef')).toBeUndefined()
  })

  it('creates rows with a result per record, a rejected one not losing the others', async () => {
    const { sim, itsm } = setUp({ mandatory: { incident: ['short_description'] } })
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
      [results[2]?.id, 'Printer jam', '3'],
    ])
  })

  it('writes dates as UTC date-times, booleans and numbers as strings, null as the empty string', async () => {
    const { sim, itsm } = setUp()
    const [created] = await itsm.create('incident', [
      {
        opened_at: new Date('2024-03-05T15:02:11+01:00'),
        active: false,
        reassignment_count: 3,
        close_notes: null,
      },
    ])
    expect(sim.tables.find('incident', String(created?.id))).toMatchObject({
      opened_at: '2024-03-05 14:02:11',
      active: 'false',
      reassignment_count: '3',
      close_notes: '',
    })
  })

  it('takes the id from Location when writes skip the response body', async () => {
    const { sim, itsm, requests } = setUp({}, { skipResponseBody: true })
    const [created] = await itsm.create('incident', [{ short_description: 'quiet' }])
    expect(created).toMatchObject({ ok: true, id: sim.tables.rows('incident')[0]?.sys_id })
    expect(requests).toHaveLength(1)
  })

  it('updates with PATCH and deletes with DELETE, one result each', async () => {
    const { sim, itsm } = setUp({ tables: { incident: incidents(2) } })
    const [first, second] = sim.tables.rows('incident')
    const updated = await itsm.update('incident', [
      { id: String(first?.sys_id), values: { state: 2 } },
      { id: '0123456789abcdef0123456789abcdef', values: { state: 2 } },
    ])
    expect(updated.map((result) => result.ok)).toEqual([true, false])
    expect(sim.tables.find('incident', String(first?.sys_id)).sys_mod_count).toBe('1')
    const deleted = await itsm.delete('incident', [String(second?.sys_id)])
    expect(deleted).toEqual([{ ok: true, index: 0, id: second?.sys_id }])
    expect(sim.tables.count('incident')).toBe(1)
  })

  it('upserts on a unique column: PATCH when one row matches, POST when none', async () => {
    const { sim, itsm } = setUp({ tables: { cmdb_ci: [{ name: 'web-01', correlation_id: 'ext-1' }] } })
    const results = await itsm.upsert(
      'cmdb_ci',
      [
        { correlation_id: 'ext-1', name: 'web-01b' },
        { correlation_id: 'ext-2', name: 'web-02' },
      ],
      {
        externalId: 'correlation_id',
      },
    )
    expect(results.map((result) => result.ok && result.created)).toEqual([false, true])
    expect(sim.tables.rows('cmdb_ci').map((row) => row.name)).toEqual(['web-01b', 'web-02'])
  })

  it('reads a record typed by the column kinds describe found', async () => {
    const { sim, itsm } = setUp()
    const row = sim.tables.insert(
      'incident',
      { opened_at: '2024-03-05 14:02:11', active: 'true', reassignment_count: 4 },
      'admin',
    )
    const kinds = columnKinds(await itsm.describe('incident'))
    const record = await itsm.get('incident', String(row.sys_id))
    const { values, issues } = typedRecord(record ?? {}, kinds)
    expect(values).toMatchObject({
      opened_at: new Date('2024-03-05T14:02:11Z'),
      active: true,
      reassignment_count: 4,
      sys_mod_count: 0,
      caller_id: undefined,
      sys_id: row.sys_id,
    })
    expect(issues).toEqual([])
  })

  it('reads typed values through core converters', () => {
    const typed = typedRecord(
      {
        opened_at: '2024-03-05 14:02:11',
        active: 'true',
        reassignment_count: { display_value: '2', value: '2' },
        caller_id: {
          link: 'https://acme.service-now.com/api/now/table/sys_user/5b1e0f0a1b2c3d4e5f60718293a4b5c6',
          value: '5B1E0F0A1B2C3D4E5F60718293A4B5C6',
        },
        closed_at: '',
        state: { display_value: 'New', value: '1' },
        priority: 'high',
      },
      {
        opened_at: 'date_time',
        active: 'boolean',
        reassignment_count: 'integer',
        caller_id: 'sys_id',
        closed_at: 'date_time',
        state: 'display',
        priority: 'integer',
      },
    )
    expect(typed.values).toEqual({
      opened_at: new Date('2024-03-05T14:02:11Z'),
      active: true,
      reassignment_count: 2,
      caller_id: '5b1e0f0a1b2c3d4e5f60718293a4b5c6',
      closed_at: undefined,
      state: 'New',
    })
    expect(typed.issues.map(({ field }) => field)).toEqual(['priority'])
  })
})

describe('servicenow connector: queries', () => {
  it('finds rows whose values hold quotes, backslashes and newlines, and only those', async () => {
    const values = ["O'Neil's laptop", 'C:\\Users\\x', 'line\nbreak', 'a=b', "' OR 1=1 --"]
    const { itsm } = setUp({
      tables: {
        incident: [...values, 'other', "O'Neil"].map((short_description) => ({ short_description })),
      },
    })
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

  it('runs a raw encoded query with ^NQ, keeping each group under the keyset', async () => {
    const { itsm } = setUp({ tables: { incident: incidents(30) } }, { pageSize: 4 })
    const found = await collect(
      itsm.query('incident', { raw: { text: 'number=INC0010001^NQnumberSTARTSWITHINC001002' } }),
    )
    expect(found.map((record) => record.number).sort()).toEqual([
      'INC0010001',
      'INC0010020',
      'INC0010021',
      'INC0010022',
      'INC0010023',
      'INC0010024',
      'INC0010025',
      'INC0010026',
      'INC0010027',
      'INC0010028',
      'INC0010029',
    ])
  })

  it('warns about a field the table does not have, which the instance would silently ignore', async () => {
    const warn = vi.fn()
    const logger: Logger = { debug: vi.fn(), info: vi.fn(), warn, error: vi.fn() }
    const { itsm } = setUp(
      { tables: { incident: incidents(2) } },
      { logger, schemas: { incident: ['number', 'state'] } },
    )
    await collect(itsm.query('incident', { where: { numbr: 'INC0010000' } }))
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ fields: ['numbr'] }),
      expect.stringContaining('numbr'),
    )
  })

  it('fails a write naming an unknown column when told to, which the instance would drop silently', async () => {
    const { sim, itsm } = setUp({}, { unknownFields: 'error', schemas: { incident: ['short_description'] } })
    const results = await itsm.create('incident', [
      { short_descripton: 'typo' },
      { short_description: 'fine' },
    ])
    expect(results.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual([
      'VALIDATION_FAILED',
      'ok',
    ])
    expect(sim.tables.count('incident')).toBe(1)
  })

  it('refuses an unknown field when told to, with the schema learned by describe', async () => {
    const { itsm, requests } = setUp({}, { unknownFields: 'error' })
    const columns = await itsm.describe('incident')
    expect(columns).toContainEqual(
      expect.objectContaining({ name: 'caller_id', type: 'reference', reference: 'sys_user' }),
    )
    requests.length = 0
    const error = await collect(itsm.query('incident', { where: { numbr: 'x' } })).catch(
      (caught: unknown) => caught,
    )
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(requests).toEqual([])
    expect(await collect(itsm.query('incident', { where: { 'caller_id.name': 'x' } }))).toEqual([])
  })
})

describe('servicenow connector: errors and limits', () => {
  it('maps an error body to a typed error carrying the message as systemCode', async () => {
    const { itsm } = setUp()
    const error = await collect(itsm.query('incidentx')).catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
      systemCode: 'Invalid table incidentx',
      system: 'servicenow',
    })
  })

  it('reports a hibernating instance as such, without retrying', async () => {
    const { sim, itsm, requests } = setUp()
    sim.faults.always(serviceNowFaults.hibernating())
    const error = await collect(itsm.query('incident')).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'INSTANCE_HIBERNATING', retryable: false })
    expect(requests).toHaveLength(1)
  })

  it('retries another HTML page on a 200, which is transient', async () => {
    const { sim, itsm } = setUp({ tables: { incident: incidents(1) } })
    sim.faults.next({ kind: 'html-200' })
    expect(await collect(itsm.query('incident'))).toHaveLength(1)
  })

  it('retries truncated JSON on a 200', async () => {
    const { sim, itsm } = setUp({ tables: { incident: incidents(3) } })
    sim.faults.next({ kind: 'truncated-json' })
    expect(await collect(itsm.query('incident'))).toHaveLength(3)
  })

  it('halves the page after "Transaction cancelled" and reads on', async () => {
    const { sim, itsm, requests } = setUp(
      { tables: { incident: incidents(5) } },
      { pageSize: 400, minPageSize: 50 },
    )
    sim.faults.next(serviceNowFaults.transactionCancelled())
    sim.faults.next(serviceNowFaults.cutShortPage())
    expect(await collect(itsm.query('incident'))).toHaveLength(5)
    expect(
      requests.map((request) => new URL(request.split(' ')[1] ?? '').searchParams.get('sysparm_limit')),
    ).toEqual(['400', '200', '100'])
  })

  it('gives up on "Transaction cancelled" at the smallest page', async () => {
    const { sim, itsm } = setUp({ tables: { incident: incidents(5) } }, { pageSize: 50, minPageSize: 50 })
    sim.faults.next(serviceNowFaults.transactionCancelled())
    const error = await collect(itsm.query('incident')).catch((caught: unknown) => caught)
    expect(isJunctionError(error, 'TRANSACTION_CANCELLED')).toBe(true)
  })

  it('retries a semaphore 429 after its Retry-After, telling it apart from a rule', async () => {
    const { sim, itsm } = setUp({ tables: { incident: incidents(1) } })
    const retries: unknown[] = []
    itsm.events.on('retry', (event) => retries.push(event))
    sim.faults.next(serviceNowFaults.semaphoresExhausted(undefined, 0))
    expect(await collect(itsm.query('incident'))).toHaveLength(1)
    expect(retries).toEqual([expect.objectContaining({ reason: 'RATE_LIMITED' })])
  })

  it('surfaces a rate-limit rule 429 with its reset time and feeds X-RateLimit-* to the limiter', async () => {
    const { itsm } = setUp({ rateLimit: { limit: 1, sysId: 'rule1' } }, { retry: false })
    const quotas: Array<{ limit: number }> = []
    itsm.events.on('quota', (event) => quotas.push(event))
    await collect(itsm.query('incident'))
    const error = await collect(itsm.query('incident')).catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      details: { cause: 'rate-limit-rule', rule: 'rule1' },
    })
    expect((error as { resetAt?: Date }).resetAt).toBeInstanceOf(Date)
    expect(quotas.at(-1)).toMatchObject({ limit: 1, remaining: 0 })
  })

  it('retries a 202 with an empty body, the busy session answer', async () => {
    const { sim, itsm } = setUp({ tables: { incident: incidents(1) } })
    sim.faults.next(serviceNowFaults.sessionQueueFull())
    expect(await collect(itsm.query('incident'))).toHaveLength(1)
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

  it('streams an attachment up and down over a real HTTP server', async () => {
    const sim = servicenowSimulator({ tables: { incident: incidents(1) } })
    const server = await sim.listen()
    const itsm = servicenow({ baseUrl: server.url, auth: sim.auth })
    opened.push(itsm, sim)
    const id = String(sim.tables.rows('incident')[0]?.sys_id)
    const bytes = Buffer.alloc(256 * 1024, 7)
    const chunks = [bytes.subarray(0, 100_000), bytes.subarray(100_000)]
    const meta = await itsm.attach('incident', id, {
      fileName: 'dump.bin',
      contentType: 'application/octet-stream',
      body: Readable.from(chunks),
    })
    expect(meta.size_bytes).toBe(String(bytes.length))
    const { body } = await itsm.download(String(meta.sys_id))
    const received: Buffer[] = []
    for await (const chunk of body) received.push(Buffer.from(chunk))
    expect(Buffer.concat(received).equals(bytes)).toBe(true)
  })

  it('gets its OAuth token from the loopback /oauth_token.do', async () => {
    const sim = servicenowSimulator({
      oauth: { clientId: 'cid', clientSecret: 'secret' },
      tables: { incident: incidents(2) },
    })
    const server = await sim.listen()
    const itsm = servicenow({
      baseUrl: server.url,
      auth: {
        type: 'oauth2-password',
        clientId: 'cid',
        clientSecret: 'secret',
        username: 'junction.sim',
        password: 'sim-password',
      },
    })
    opened.push(itsm, sim)
    expect(await collect(itsm.query('incident'))).toHaveLength(2)
  })
})
