import { afterEach, describe, expect, it } from 'vitest'
import {
  type ServiceNowSimulator,
  type ServiceNowSimulatorOptions,
  servicenowSimulator,
} from './servicenow-simulator.js'

const opened: ServiceNowSimulator[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((sim) => sim.close()))
})

const ORIGIN = 'https://dev00001.service-now.com'

// Loosely typed on purpose: the tests read the wire shapes they assert.
// biome-ignore lint/suspicious/noExplicitAny: wire bodies of many shapes
type Answer = any

// Raw calls with fetch through the simulator's undici dispatcher, to see the wire as any client would.
function instance(options: ServiceNowSimulatorOptions = {}) {
  const sim = servicenowSimulator(options)
  opened.push(sim)
  const basic = `Basic ${Buffer.from(`${sim.auth.username}:${sim.auth.password}`).toString('base64')}`
  const call = async (path: string, init: RequestInit & { auth?: string | null } = {}) => {
    const headers = new Headers(init.headers)
    if (init.auth !== null) headers.set('authorization', init.auth ?? basic)
    headers.set('accept', 'application/json')
    const response = await fetch(`${ORIGIN}${path}`, {
      ...init,
      headers,
      dispatcher: sim.dispatcher,
    } as unknown as RequestInit)
    const text = await response.text()
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : (JSON.parse(text) as Answer),
    }
  }
  return { sim, call }
}

const incidents = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ number: `INC${1000 + index}` }))
const links = (header: string | null) =>
  Object.fromEntries(
    String(header)
      .split(',')
      .map((part) => {
        const [, url = '', rel = ''] = /^<([^>]+)>;rel="(\w+)"$/.exec(part) ?? []
        return [rel, new URL(url).searchParams.get('sysparm_offset')]
      }),
  )

describe('servicenowSimulator: tables', () => {
  it('adds the columns given for a built-in table to it, keeping its numbering and journals', () => {
    const sim = servicenowSimulator({
      schemas: { incident: { columns: { u_team_size: { type: 'integer', label: 'Team size' } } } },
    })
    opened.push(sim)
    const columns = sim.tables.columns('incident')
    expect(columns.has('u_team_size')).toBe(true)
    expect(columns.get('work_notes')).toMatchObject({ type: 'journal' })
    expect(sim.tables.spec('incident').numberPrefix).toBe('INC')
  })

  it('has the assignment_group reference on incident and the groups table it points at', () => {
    const sim = servicenowSimulator()
    opened.push(sim)
    expect(sim.tables.columns('incident').get('assignment_group')).toMatchObject({
      type: 'reference',
      reference: 'sys_user_group',
    })
    expect(sim.tables.has('sys_user_group')).toBe(true)
  })
})

describe('servicenowSimulator: Table API reads', () => {
  it('pages by offset with X-Total-Count and a Link header whose first page has prev=-1', async () => {
    const { call } = instance({ tables: { incident: incidents(7) } })
    const first = await call('/api/now/table/incident?sysparm_limit=3')
    expect(first.headers.get('x-total-count')).toBe('7')
    expect(first.headers.get('content-type')).toBe('application/json;charset=UTF-8')
    expect(links(first.headers.get('link'))).toEqual({ first: '0', prev: '-1', next: '3', last: '6' })
    const last = await call('/api/now/table/incident?sysparm_limit=3&sysparm_offset=6')
    expect(links(last.headers.get('link'))).toEqual({ first: '0', prev: '3', last: '6' })
    expect(last.body.result).toHaveLength(1)
  })

  it('leaves out Link with sysparm_suppress_pagination_header and X-Total-Count with sysparm_no_count', async () => {
    const { call } = instance({ tables: { incident: incidents(2) } })
    const page = await call(
      '/api/now/table/incident?sysparm_suppress_pagination_header=true&sysparm_no_count=true',
    )
    expect(page.headers.get('link')).toBeNull()
    expect(page.headers.get('x-total-count')).toBeNull()
  })

  it('returns every value as a string, empty as ""', async () => {
    const { call } = instance({
      tables: { incident: [{ reassignment_count: 1, active: true, closed_at: null }] },
    })
    const [row] = (await call('/api/now/table/incident')).body.result
    expect(row).toMatchObject({
      reassignment_count: '1',
      active: 'true',
      closed_at: '',
      sys_mod_count: '0',
      caller_id: '',
    })
    expect(row.sys_id).toMatch(/^[0-9a-f]{32}$/)
  })

  it('answers v1 404 and v2 200 [] for a valid query that matches nothing', async () => {
    const { call } = instance({ tables: { incident: incidents(2) } })
    expect((await call('/api/now/v1/table/incident?sysparm_query=number=NONE')).status).toBe(404)
    expect((await call('/api/now/v2/table/incident?sysparm_query=number=NONE')).body).toEqual({ result: [] })
  })

  it('ignores a query term on an unknown field, as the instance does by default', async () => {
    const { call } = instance({ tables: { incident: incidents(3) } })
    expect((await call('/api/now/table/incident?sysparm_query=numbr=INC1000')).body.result).toHaveLength(3)
  })

  it('returns no rows for an unknown field when glide.invalid_query.returns_no_rows is set', async () => {
    const { call } = instance({ tables: { incident: incidents(3) }, invalidQueryReturnsNoRows: true })
    expect((await call('/api/now/table/incident?sysparm_query=numbr=INC1000')).body.result).toEqual([])
  })

  it('evaluates ^OR against the condition before it and ^NQ as an OR of groups', async () => {
    const { call } = instance({
      tables: {
        incident: [
          { number: 'A', state: '1' },
          { number: 'B', state: '2' },
          { number: 'C', state: '6' },
        ],
      },
    })
    const or = await call(
      `/api/now/table/incident?sysparm_query=${encodeURIComponent('number=A^ORnumber=C^state=6')}`,
    )
    expect(or.body.result.map((row: { number: string }) => row.number)).toEqual(['C'])
    const nq = await call(
      `/api/now/table/incident?sysparm_query=${encodeURIComponent('number=A^NQstate=2^ORDERBYDESCnumber')}`,
    )
    expect(nq.body.result.map((row: { number: string }) => row.number)).toEqual(['B', 'A'])
  })

  it('evaluates LIKE, STARTSWITH, IN and ISEMPTY', async () => {
    const { call } = instance({
      tables: {
        incident: [
          { short_description: 'VPN down', category: 'network', close_code: 'Solved' },
          { short_description: 'Printer' },
        ],
      },
    })
    const query = async (text: string) =>
      (await call(`/api/now/table/incident?sysparm_query=${encodeURIComponent(text)}`)).body.result.map(
        (row: { short_description: string }) => row.short_description,
      )
    expect(await query('short_descriptionLIKEvpn')).toEqual(['VPN down'])
    expect(await query('short_descriptionSTARTSWITHPrint')).toEqual(['Printer'])
    expect(await query('categoryINnetwork,software')).toEqual(['VPN down'])
    expect(await query('close_codeISEMPTY')).toEqual(['Printer'])
  })

  it('can shuffle unsorted reads, so that unsorted offset paging repeats and skips rows', async () => {
    const { call } = instance({ tables: { incident: incidents(30) }, unorderedReads: 'shuffled' })
    const numbers = async (query: string) => {
      const pages = await Promise.all(
        [0, 10, 20].map((offset) =>
          call(`/api/now/table/incident?sysparm_limit=10&sysparm_offset=${offset}${query}`),
        ),
      )
      return pages.flatMap((page) => page.body.result.map((row: { number: string }) => row.number))
    }
    expect(new Set(await numbers('')).size).toBeLessThan(30)
    expect(new Set(await numbers('&sysparm_query=ORDERBYnumber')).size).toBe(30)
  })

  it('filters by name=value pairs when there is no sysparm_query', async () => {
    const { call } = instance({ tables: { incident: incidents(3) } })
    const found = await call('/api/now/table/incident?number=INC1001&sysparm_fields=number')
    expect(found.body.result).toEqual([{ number: 'INC1001' }])
  })

  it('answers syntax it does not implement with a 400 in the error envelope', async () => {
    const { call } = instance()
    const answer = await call(
      `/api/now/table/incident?sysparm_query=${encodeURIComponent('caller_id=javascript:gs.getUserID()')}`,
    )
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({ error: { message: expect.any(String) }, status: 'failure' })
  })

  it('hides ACL-filtered rows after applying the limit, so a page can be empty while later ones are not', async () => {
    const { call } = instance({
      tables: { incident: incidents(6) },
      hidden: (_table, row) => ['INC1000', 'INC1001', 'INC1002'].includes(row.number ?? ''),
    })
    const first = await call('/api/now/table/incident?sysparm_limit=3&sysparm_query=ORDERBYnumber')
    expect(first.body.result).toEqual([])
    expect(first.headers.get('x-total-count')).toBe('6')
    const second = await call(
      '/api/now/table/incident?sysparm_limit=3&sysparm_offset=3&sysparm_query=ORDERBYnumber',
    )
    expect(second.body.result).toHaveLength(3)
  })
})

describe('servicenowSimulator: value shapes (sheet §2.3)', () => {
  function seeded() {
    const { sim, call } = instance({ timeZoneOffsetMinutes: -480 })
    const user = sim.tables.insert('sys_user', { name: 'Abel Tuter', user_name: 'abel.tuter' }, 'admin')
    sim.tables.insert(
      'incident',
      { number: 'INC0010042', state: '1', caller_id: user.sys_id, opened_at: '2024-03-05 14:02:11' },
      'admin',
    )
    const url = (params: string) =>
      `/api/now/table/incident?sysparm_fields=number,state,caller_id,opened_at,assigned_to&${params}`
    return { call, url, userId: user.sys_id }
  }

  it('shows references as {link, value} by default and a bare sys_id without links', async () => {
    const { call, url, userId } = seeded()
    const [byDefault] = (await call(url(''))).body.result
    expect(byDefault.caller_id).toEqual({ link: `${ORIGIN}/api/now/table/sys_user/${userId}`, value: userId })
    expect(byDefault.assigned_to).toBe('')
    const [bare] = (await call(url('sysparm_exclude_reference_link=true'))).body.result
    expect(bare.caller_id).toBe(userId)
  })

  it('shows display values with sysparm_display_value=true: labels, names and the user time zone', async () => {
    const { call, url } = seeded()
    const [row] = (await call(url('sysparm_display_value=true'))).body.result
    expect(row).toMatchObject({ state: 'New', opened_at: '2024-03-05 06:02:11' })
    expect(row.caller_id).toEqual({
      display_value: 'Abel Tuter',
      link: expect.stringContaining('/sys_user/'),
    })
    const [bare] = (await call(url('sysparm_display_value=true&sysparm_exclude_reference_link=true'))).body
      .result
    expect(bare.caller_id).toBe('Abel Tuter')
  })

  it('shows both with sysparm_display_value=all', async () => {
    const { call, url, userId } = seeded()
    const [row] = (await call(url('sysparm_display_value=all&sysparm_exclude_reference_link=true'))).body
      .result
    expect(row).toEqual({
      number: { display_value: 'INC0010042', value: 'INC0010042' },
      state: { display_value: 'New', value: '1' },
      caller_id: { display_value: 'Abel Tuter', value: userId },
      opened_at: { display_value: '2024-03-05 06:02:11', value: '2024-03-05 14:02:11' },
      assigned_to: '',
    })
  })

  it('returns dot-walked fields as flat keys', async () => {
    const { call } = seeded()
    const [row] = (await call('/api/now/table/incident?sysparm_fields=number,caller_id.name')).body.result
    expect(row).toEqual({ number: 'INC0010042', 'caller_id.name': 'Abel Tuter' })
  })
})

describe('servicenowSimulator: Table API writes', () => {
  it('answers POST with 201, Location and the full record, numbering and prioritising incidents', async () => {
    const { call } = instance()
    const created = await call('/api/now/table/incident', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ short_description: 'VPN', impact: '2', urgency: '1', unknown_field: 'x' }),
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('location')).toBe(
      `${ORIGIN}/api/now/table/incident/${created.body.result.sys_id}`,
    )
    expect(created.body.result).toMatchObject({
      number: 'INC0010001',
      priority: '2',
      state: '1',
      sys_mod_count: '0',
    })
    expect(created.body.result).not.toHaveProperty('unknown_field')
  })

  it('answers PATCH with 200 and sys_mod_count incremented, DELETE with 204 and a sys_audit row', async () => {
    const { sim, call } = instance({ tables: { incident: incidents(1) } })
    const [row] = sim.tables.rows('incident')
    const patched = await call(`/api/now/table/incident/${row?.sys_id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: '2' }),
    })
    expect(patched.body.result).toMatchObject({ state: '2', sys_mod_count: '1' })
    const deleted = await call(`/api/now/table/incident/${row?.sys_id}`, { method: 'DELETE' })
    expect([deleted.status, deleted.body]).toEqual([204, undefined])
    expect(sim.tables.rows('sys_audit')).toEqual([
      expect.objectContaining({ tablename: 'incident', documentkey: row?.sys_id, fieldname: 'DELETED' }),
    ])
  })

  it('suppresses the body with X-no-response-body', async () => {
    const { call } = instance()
    const created = await call('/api/now/table/incident', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-no-response-body': 'true' },
      body: '{"short_description":"quiet"}',
    })
    expect([created.status, created.body]).toEqual([201, undefined])
  })

  it('answers an unknown sys_id with the 404 envelope', async () => {
    const { call } = instance()
    const answer = await call('/api/now/table/incident/0123456789abcdef0123456789abcdef')
    expect(answer).toMatchObject({
      status: 404,
      body: {
        error: {
          message: 'No Record found',
          detail: "Record doesn't exist or ACL restricts the record retrieval",
        },
        status: 'failure',
      },
    })
  })
})

describe('servicenowSimulator: auth and limits', () => {
  it('answers missing credentials with the 401 envelope', async () => {
    const { call } = instance()
    const answer = await call('/api/now/table/incident', { auth: null })
    expect(answer).toMatchObject({
      status: 401,
      body: { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' } },
    })
  })

  it('accepts an API key as header or query parameter', async () => {
    const { call } = instance({ apiKey: 'key-1' })
    expect(
      (await call('/api/now/table/incident', { auth: null, headers: { 'x-sn-apikey': 'key-1' } })).status,
    ).toBe(200)
    expect((await call('/api/now/table/incident?x-sn-apikey=key-1', { auth: null })).status).toBe(200)
  })

  it('issues tokens from /oauth_token.do for form-encoded grants only, with the same opaque 401 otherwise', async () => {
    const { call } = instance({ oauth: { clientId: 'cid', clientSecret: 'secret' } })
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      auth: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    })
    const granted = await call(
      '/oauth_token.do',
      form({
        grant_type: 'password',
        client_id: 'cid',
        client_secret: 'secret',
        username: 'junction.sim',
        password: 'sim-password',
      }),
    )
    expect(granted.body).toMatchObject({ token_type: 'Bearer', expires_in: 1799, scope: 'useraccount' })
    const again = await call(
      '/oauth_token.do',
      form({
        grant_type: 'password',
        client_id: 'cid',
        client_secret: 'secret',
        username: 'junction.sim',
        password: 'sim-password',
      }),
    )
    expect(again.body.access_token).toBe(granted.body.access_token)
    expect(
      (await call('/api/now/table/incident', { auth: `Bearer ${granted.body.access_token}` })).status,
    ).toBe(200)
    const disabled = await call(
      '/oauth_token.do',
      form({ grant_type: 'client_credentials', client_id: 'cid', client_secret: 'secret' }),
    )
    expect(disabled).toMatchObject({
      status: 401,
      body: { error_description: 'access_denied', error: 'server_error' },
    })
  })

  it('trips a rate-limit rule with 429, Retry-After and the X-RateLimit headers', async () => {
    const { call } = instance({ rateLimit: { limit: 2, sysId: 'r1' } })
    const ok = await call('/api/now/table/incident')
    expect(ok.headers.get('x-ratelimit-limit')).toBe('2')
    expect(ok.headers.get('x-ratelimit-rule')).toBe('r1')
    await call('/api/now/table/incident')
    const limited = await call('/api/now/table/incident')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000)
    expect(limited.body.error).toEqual({
      message: 'Rate limit exceeded',
      detail: 'Rate limit of 2 requests per hour for Table API exceeded',
    })
  })
})

describe('servicenowSimulator: other APIs', () => {
  it('transforms an Import Set row synchronously with one result per transform map', async () => {
    const { call } = instance()
    const post = (body: unknown) =>
      call('/api/now/import/u_incident_import', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const inserted = await post({ u_number: 'INC0099001', u_short_description: 'Disk full', u_urgency: '1' })
    expect(inserted.status).toBe(201)
    expect(inserted.body).toMatchObject({
      import_set: expect.stringMatching(/^ISET\d{7}$/),
      staging_table: 'u_incident_import',
      result: [
        {
          transform_map: 'Incident import',
          table: 'incident',
          status: 'inserted',
          display_value: 'INC0099001',
        },
      ],
    })
    const updated = await post({ u_number: 'INC0099001', u_short_description: 'Disk still full' })
    expect(updated.body.result[0]).toMatchObject({
      status: 'updated',
      sys_id: inserted.body.result[0].sys_id,
    })
    expect((await post({ u_number: 'INC0099002' })).body.result[0]).toMatchObject({ status: 'ignored' })
    expect(
      (await post({ u_number: 'INC0099003', u_short_description: 'x', u_urgency: '9' })).body.result[0],
    ).toMatchObject({
      status: 'error',
      error_message: expect.stringContaining('Choice rejected'),
    })
  })

  it('answers insertMultiple with the import set ids only and transforms afterwards', async () => {
    const { sim, call } = instance()
    const answer = await call('/api/now/import/u_incident_import/insertMultiple', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ records: [{ Number: 'INC0088001', 'Short description': 'A' }] }),
    })
    expect(answer.body).toEqual({
      import_set_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      multi_import_set_id: expect.any(String),
    })
    expect(sim.tables.rows('sys_import_set_row')[0]?.sys_import_state).toBe('pending')
    await sim.imports.settle()
    expect(sim.tables.rows('sys_import_set_row')[0]?.sys_import_state).toBe('inserted')
  })

  it('aggregates with all numbers as strings, grouped as an array', async () => {
    const { call } = instance({
      tables: {
        incident: [
          { state: '1', reassignment_count: 1 },
          { state: '1', reassignment_count: 2 },
          { state: '2', reassignment_count: 0 },
        ],
      },
    })
    const plain = await call('/api/now/stats/incident?sysparm_count=true')
    expect(plain.body).toEqual({ result: { stats: { count: '3' } } })
    const grouped = await call(
      '/api/now/stats/incident?sysparm_count=true&sysparm_avg_fields=reassignment_count&sysparm_group_by=state',
    )
    expect(grouped.body.result).toEqual([
      {
        stats: { count: '2', avg: { reassignment_count: '1.5000' } },
        groupby_fields: [{ field: 'state', value: '1' }],
      },
      {
        stats: { count: '1', avg: { reassignment_count: '0.0000' } },
        groupby_fields: [{ field: 'state', value: '2' }],
      },
    ])
  })

  it('serves Batch API items with base64 bodies and leaves items past the quota unserviced', async () => {
    const { call } = instance({ batchMaxServiced: 1 })
    const answer = await call('/api/now/v1/batch', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        batch_request_id: '42',
        rest_requests: [
          {
            id: 'a1',
            method: 'POST',
            url: '/api/now/table/incident',
            headers: [{ name: 'Content-Type', value: 'application/json' }],
            body: Buffer.from('{"short_description":"Disk full"}').toString('base64'),
          },
          { id: 'a2', method: 'GET', url: '/api/now/table/incident?sysparm_limit=1', headers: [] },
        ],
      }),
    })
    expect(answer.body).toMatchObject({
      batch_request_id: '42',
      serviced_requests: [{ id: 'a1', status_code: 201 }],
      unserviced_requests: ['a2'],
    })
    const inner = JSON.parse(Buffer.from(answer.body.serviced_requests[0].body, 'base64').toString('utf8'))
    expect(inner.result.short_description).toBe('Disk full')
  })

  it('takes a multipart upload, the file part last with its own type', async () => {
    const { sim, call } = instance({ tables: { incident: incidents(1) } })
    const [row] = sim.tables.rows('incident')
    const form = new FormData()
    form.set('table_name', 'incident')
    form.set('table_sys_id', String(row?.sys_id))
    form.set('uploadFile', new Blob(['a,b\n1,2\n'], { type: 'text/csv' }), 'data.csv')
    const created = await call('/api/now/attachment/upload', { method: 'POST', body: form })
    expect(created.status).toBe(201)
    expect(created.body.result).toMatchObject({
      file_name: 'data.csv',
      content_type: 'text/csv',
      size_bytes: '8',
    })
  })

  it('stores an attachment and gives it back with X-Attachment-Metadata', async () => {
    const { sim, call } = instance({ tables: { incident: incidents(1) } })
    const [row] = sim.tables.rows('incident')
    const created = await call(
      `/api/now/attachment/file?table_name=incident&table_sys_id=${row?.sys_id}&file_name=log.txt`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      },
    )
    expect(created.body.result).toMatchObject({
      file_name: 'log.txt',
      size_bytes: '5',
      content_type: 'text/plain',
    })
    const response = await fetch(`${ORIGIN}/api/now/attachment/${created.body.result.sys_id}/file`, {
      headers: { authorization: `Basic ${Buffer.from('junction.sim:sim-password').toString('base64')}` },
      dispatcher: sim.dispatcher,
    } as unknown as RequestInit)
    expect(await response.text()).toBe('hello')
    expect(JSON.parse(response.headers.get('x-attachment-metadata') ?? '{}')).toMatchObject({
      file_name: 'log.txt',
    })
  })
})
