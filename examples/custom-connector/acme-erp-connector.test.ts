import type { Change, JunctionRequest, Middleware } from '@junction/core'
import { connectorContract } from '@junction/core/testing/contracts'
import { afterEach, describe, expect, it } from 'vitest'
import { acmeErp } from './acme-erp-connector.js'
import { acmeErpSimulator } from './acme-erp-simulator.js'

const BASE_URL = 'https://erp.acme.test/api/v2'

const customers = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    customer_no: `C-${1000 + i}`,
    name: `Customer ${i}`,
    city: i % 2 === 0 ? 'Ulm' : 'Freiburg',
    since: '01.03.2019',
    credit_limit: '1000,00',
  }))

const fixtures = {
  capabilities: ['get', 'query', 'create', 'update', 'upsert', 'delete', 'changes'] as const,
  entity: 'customers',
  idField: 'id',
  existingId: '1002',
  missingId: '999999',
  newRecord: (n: number) => ({
    customer_no: `C-NEW-${n}`,
    name: `New customer ${n}`,
    since: '2026-11-24',
    credit_limit: `${n}00.50`,
  }),
  invalidRecord: { customer_no: 'C-REFUSED', name: '' },
  updateValues: { city: 'Konstanz', credit_limit: '2500.75' },
  externalId: 'customer_no',
}

connectorContract('ACME ERP connector, in-process', {
  ...fixtures,
  setup() {
    const sim = acmeErpSimulator({ seed: { customers: customers(5) } })
    const connector = acmeErp({ baseUrl: BASE_URL, apiKey: sim.apiKey, dispatcher: sim.dispatcher })
    return { connector, close: () => sim.close() }
  },
})

connectorContract('ACME ERP connector, over a loopback server', {
  ...fixtures,
  async setup() {
    const sim = acmeErpSimulator({ seed: { customers: customers(5) } })
    const server = await sim.listen()
    const connector = acmeErp({ baseUrl: `${server.url}/api/v2`, apiKey: sim.apiKey })
    return { connector, close: () => sim.close() }
  },
})

/** Counts the requests that reach the wire, by method and path. */
const countRequests =
  (calls: string[]): Middleware =>
  (next) =>
  (request: JunctionRequest) => {
    calls.push(`${request.method} ${new URL(request.url).pathname}`)
    return next(request)
  }

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

describe('the ACME ERP connector', () => {
  let now = Date.parse('2026-11-24T10:00:00Z')
  const setup = (count = 5) => {
    now = Date.parse('2026-11-24T10:00:00Z')
    const sim = acmeErpSimulator({ seed: { customers: customers(count) }, clock: () => new Date(now) })
    const erp = acmeErp({ baseUrl: BASE_URL, apiKey: sim.apiKey, dispatcher: sim.dispatcher, retry: false })
    const calls: string[] = []
    erp.stack.add('count', countRequests(calls), { after: 'errors' })
    open.push(async () => {
      await erp.close()
      await sim.close()
    })
    return { sim, erp, calls }
  }
  const open: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const close of open.splice(0)) await close()
  })

  it('hands out ISO dates and exact decimal amounts, and writes them back in the ERP formats', async () => {
    const { sim, erp } = setup()
    const [created] = await erp.create('customers', [
      { customer_no: 'C-7', name: 'Müller GmbH', since: '2024-02-29', credit_limit: '1250.5' },
    ])
    const id = created?.ok ? Number(created.id) : Number.NaN
    expect(sim.data.row('customers', id)).toMatchObject({ since: '29.02.2024', credit_limit: '1250,5' })
    expect(await erp.get('customers', String(id))).toMatchObject({
      id: String(id),
      since: '2024-02-29',
      credit_limit: '1250.5',
      modified: '2026-11-24T10:00:00.000Z',
    })
  })

  it('fails a record whose value cannot be written in the ERP format, naming the field, and sends nothing', async () => {
    const { erp, calls } = setup()
    const [result] = await erp.create('customers', [{ customer_no: 'C-8', name: 'X', since: '24.11.2026' }])
    expect(result?.ok).toBe(false)
    if (!result?.ok) {
      expect(result?.error.code).toBe('VALIDATION_FAILED')
      expect(result?.error.message).toContain('customers.since')
    }
    expect(calls).toEqual([])
  })

  it('turns business errors the ERP answers with status 200 into typed errors with its error number', async () => {
    const { sim, erp } = setup()
    sim.data.lock('customers', 1001)
    const results = await erp.update('customers', [
      { id: '1001', values: { city: 'Bonn' } },
      { id: '1002', values: { name: '' } },
    ])
    const duplicate = await erp.create('customers', [{ customer_no: 'C-1000', name: 'Again' }])
    const failures = [...results, ...duplicate].map((r) =>
      r.ok ? undefined : [r.error.code, r.error.systemCode],
    )
    expect(failures).toEqual([
      ['CONFLICT', '40'],
      ['VALIDATION_FAILED', '30'],
      ['CONFLICT', '31'],
    ])
  })

  it('sends the API key in X-ACME-Key, and a refused key is an AUTH_FAILED error that does not show it', async () => {
    const sim = acmeErpSimulator({ apiKey: 'the-right-key' })
    const erp = acmeErp({ baseUrl: BASE_URL, apiKey: 'a-wrong-key-1234', dispatcher: sim.dispatcher })
    open.push(async () => {
      await erp.close()
      await sim.close()
    })
    const error = await erp.get('customers', '1001').catch((thrown: unknown) => thrown)
    expect(error).toMatchObject({ code: 'AUTH_FAILED', systemCode: '10', status: 401 })
    expect(JSON.stringify(error)).not.toContain('a-wrong-key-1234')
  })

  it('queries with equality filters, order and fields, and refuses conditions the ERP cannot express', async () => {
    const { erp } = setup()
    const rows = await collect(
      erp.query('customers', {
        where: { city: 'Ulm', credit_limit: '1000.00' },
        orderBy: [{ field: 'customer_no', direction: 'desc' }],
        select: ['customer_no'],
      }),
    )
    expect(rows.map((r) => r.customer_no)).toEqual(['C-1004', 'C-1002', 'C-1000'])
    expect(rows[0]).not.toHaveProperty('name')
    const error = await collect(erp.query('customers', { where: { name: { startsWith: 'Cust' } } })).catch(
      (thrown: unknown) => thrown,
    )
    expect(error).toMatchObject({ code: 'NOT_SUPPORTED' })
  })

  it('pages a query by offset until the total, asking at most 200 rows at a time', async () => {
    const { erp, calls } = setup(450)
    const rows = await collect(erp.query('customers'))
    expect(rows).toHaveLength(450)
    expect(new Set(rows.map((r) => r.id)).size).toBe(450)
    expect(calls).toHaveLength(3)
  })

  it('upserts through the ERP import, 100 rows per call, one result per record in order', async () => {
    const { erp, calls } = setup()
    const records = [
      { customer_no: 'C-1001', name: 'Renamed' },
      ...Array.from({ length: 149 }, (_, i) => ({ customer_no: `C-IMP-${i}`, name: `Imported ${i}` })),
      { customer_no: 'C-IMP-X', name: 'Bad amount', credit_limit: 'a lot' },
      { customer_no: 'C-IMP-Y', name: '' },
    ]
    const results = await erp.upsert('customers', records, { externalId: 'customer_no' })
    expect(results.map((r) => r.index)).toEqual(records.map((_, i) => i))
    expect(results[0]).toMatchObject({ ok: true, id: '1002', created: false })
    expect(results.slice(1, 150).every((r) => r.ok && r.created)).toBe(true)
    expect(results.slice(150).map((r) => (r.ok ? undefined : r.error.code))).toEqual([
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
    ])
    expect(calls).toEqual(['POST /api/v2/customers/import', 'POST /api/v2/customers/import'])
  })

  it('sends no import when every record of an upsert fails before sending', async () => {
    const { erp, calls } = setup()
    const results = await erp.upsert('customers', [{ customer_no: 'C-9', credit_limit: '1,5' }], {
      externalId: 'customer_no',
    })
    expect(results.map((r) => (r.ok ? undefined : r.error.code))).toEqual(['VALIDATION_FAILED'])
    expect(calls).toEqual([])
  })

  it('delivers a row updated later in the very second of the last change read', async () => {
    const { erp } = setup(3)
    const first = await collect(erp.changes('customers'))
    const last = first.at(-1)?.cursor
    // Same second, a lower id than the last change read: an id-only cursor would skip it.
    await erp.update('customers', [{ id: '1001', values: { city: 'Bonn' } }])
    const next = await collect(erp.changes('customers', { cursor: last }))
    expect(next.map((c) => [c.id, c.record?.city])).toEqual([['1001', 'Bonn']])
    expect(await collect(erp.changes('customers', { cursor: next.at(-1)?.cursor }))).toEqual([])
  })

  it('resumes exactly from cursors of seconds that are over, and starts from a time with since', async () => {
    const { erp } = setup(4)
    now += 60_000
    await erp.create('customers', [{ customer_no: 'C-LATER', name: 'Later' }])
    now += 60_000
    const all = await collect(erp.changes('customers', { pageSize: 2 }))
    expect(all.map((c) => c.id)).toEqual(['1001', '1002', '1003', '1004', '1005'])
    const ids = (changes: Change[]) => changes.map((c) => c.id)
    for (const [at, change] of all.entries()) {
      expect(ids(await collect(erp.changes('customers', { cursor: change.cursor, pageSize: 2 })))).toEqual(
        ids(all.slice(at + 1)),
      )
    }
    const since = new Date(Date.parse('2026-11-24T10:00:30Z'))
    expect(ids(await collect(erp.changes('customers', { since })))).toEqual(['1005'])
    expect(all[4]?.changedAt).toEqual(new Date('2026-11-24T10:01:00Z'))
  })

  it('refuses a cursor it did not write with a VALIDATION_FAILED error', async () => {
    const { erp } = setup()
    const error = await collect(erp.changes('customers', { cursor: 'not json' })).catch(
      (thrown: unknown) => thrown,
    )
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' })
  })
})
