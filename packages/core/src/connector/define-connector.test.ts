import { HttpResponse, http } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryAudit } from '../audit/memory-audit.js'
import { recordTag } from '../cache/cache-keys.js'
import { memoryCache } from '../cache/memory-cache.js'
import { ConfigError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import { createMetrics } from '../observability/metrics-recorder.js'
import type { Middleware } from '../pipeline/middleware-stack.js'
import { createSimulator, type Simulator } from '../testing/simulator.js'
import type { EntityRecord } from './connector.js'
import type { ConnectorContext } from './connector-context.js'
import { defineConnector } from './define-connector.js'
import { writeEach } from './write-each.js'

const BASE = 'https://erp.example.test'
const USER = 'svc-junction'
const PASSWORD = 'p4ssw0rd-never-shown'
const ROWS: EntityRecord[] = Array.from({ length: 5 }, (_, i) => ({
  CUSTNO: `C${i + 1}`,
  NAME: `Customer ${i + 1}`,
}))

/** A small legacy ERP: basic auth, `?page=` paging of two rows, and its own error body. */
function legacyErpSimulator(): Simulator {
  const authorized = (request: Request) =>
    request.headers.get('authorization') === `Basic ${btoa(`${USER}:${PASSWORD}`)}`
  return createSimulator({
    handlers: [
      http.all('*', ({ request }) =>
        authorized(request) ? undefined : HttpResponse.json({ fault: 'LOGIN_REQUIRED' }, { status: 401 }),
      ),
      http.get('*/customers/:id', ({ params }) => {
        const row = ROWS.find((candidate) => candidate.CUSTNO === params.id)
        return row ? HttpResponse.json({ row }) : HttpResponse.json({ fault: 'NO_SUCH_ROW' }, { status: 404 })
      }),
      http.get('*/customers', ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('page') ?? '1')
        const rows = ROWS.slice((page - 1) * 2, page * 2)
        return HttpResponse.json({ rows, more: page * 2 < ROWS.length })
      }),
      http.patch('*/customers/:id', async ({ params, request }) => {
        const row = ROWS.find((candidate) => candidate.CUSTNO === params.id)
        if (!row) return HttpResponse.json({ fault: 'NO_SUCH_ROW' }, { status: 404 })
        return HttpResponse.json({ ...row, ...((await request.json()) as EntityRecord) })
      }),
      http.post('*/customers', async ({ request }) => {
        const row = (await request.json()) as EntityRecord
        if (typeof row.NAME !== 'string' || row.NAME === '') {
          return HttpResponse.json(
            { fault: 'NAME_REQUIRED', echo: request.headers.get('authorization') },
            { status: 400 },
          )
        }
        return HttpResponse.json({ CUSTNO: `C${Math.floor(Math.random() * 1e6)}` }, { status: 201 })
      }),
    ],
  })
}

async function* pages(ctx: ConnectorContext, entity: string): AsyncIterable<EntityRecord> {
  for (let page = 1; ; page++) {
    const response = await ctx.request<{ rows: EntityRecord[]; more: boolean }>({
      path: `/${entity}`,
      query: { page },
      responseType: 'json',
    })
    yield* response.body.rows
    if (!response.body.more) return
  }
}

const legacyErp = defineConnector({
  system: 'legacy-erp',
  mapError: (response, request) =>
    typeof response.body === 'object' && response.body !== null && 'fault' in response.body
      ? new JunctionError({
          code: response.status === 404 ? 'NOT_FOUND' : 'ERP_FAULT',
          message: `${request.method} failed: ${String(response.body.fault)}`,
          status: response.status,
          systemCode: String(response.body.fault),
          snippet: JSON.stringify(response.body),
        })
      : undefined,
  async get(ctx, entity, id) {
    try {
      const response = await ctx.request<{ row: EntityRecord }>({
        path: `/${entity}/${String(id)}`,
        responseType: 'json',
        cache: { ttlMs: 60_000, tags: [recordTag(entity, id)] },
      })
      return response.body.row
    } catch (error) {
      if (error instanceof JunctionError && error.code === 'NOT_FOUND') return undefined
      throw error
    }
  },
  query: (ctx, entity) => pages(ctx, entity),
  async create(ctx, entity, records) {
    return Promise.all(
      records.map(async (record, index) => {
        try {
          const response = await ctx.request<{ CUSTNO: string }>({
            method: 'POST',
            path: `/${entity}`,
            body: { type: 'json', value: record },
            responseType: 'json',
          })
          return { ok: true as const, index, id: response.body.CUSTNO }
        } catch (error) {
          if (error instanceof JunctionError) return { ok: false as const, index, error }
          throw error
        }
      }),
    )
  },
  update: (ctx, entity, updates) =>
    writeEach(updates, async (update) => {
      await ctx.request({
        method: 'PATCH',
        path: `/${entity}/${String(update.id)}`,
        body: { type: 'json', value: update.values },
        responseType: 'json',
      })
      return { ok: true, id: String(update.id) }
    }),
  extend: (runner) => ({
    /** Counts customers with one call (an adapter-specific operation). */
    count: () =>
      runner.run({ name: 'count', entity: 'customers' }, undefined, async (ctx) => {
        let total = 0
        for await (const _ of pages(ctx, 'customers')) total++
        return total
      }),
  }),
})

describe('defineConnector', () => {
  let sim: Simulator
  const open: Array<{ close(): Promise<void> }> = []
  const connect = (extra: Partial<Parameters<typeof legacyErp>[0]> = {}) => {
    sim = legacyErpSimulator()
    const audit = memoryAudit()
    const connector = legacyErp({
      baseUrl: BASE,
      auth: { type: 'basic', username: USER, password: PASSWORD },
      dispatcher: sim.dispatcher,
      audit,
      ...extra,
    })
    open.push(connector, sim)
    return { connector, audit }
  }

  afterEach(async () => {
    await Promise.all(open.splice(0).map((item) => item.close()))
  })

  it('derives capabilities from the operations implemented', () => {
    const { connector } = connect()
    expect([...connector.capabilities]).toEqual(['get', 'query', 'create', 'update'])
  })

  it('throws NOT_SUPPORTED for an operation the connector does not implement', () => {
    const { connector } = connect()
    expect(() => connector.delete('customers', ['C1'])).toThrow(
      expect.objectContaining({ code: 'NOT_SUPPORTED' }),
    )
  })

  it('reads every page of a query as one loop, in order', async () => {
    const { connector } = connect()
    const rows: EntityRecord[] = []
    for await (const row of connector.query('customers')) rows.push(row)
    expect(rows).toEqual(ROWS)
  })

  it('writes one audit event per query, with the record count, when iteration ends', async () => {
    const { connector, audit } = connect()
    for await (const _ of connector.query('customers')) {
      // drain
    }
    expect(audit.events).toHaveLength(1)
    expect(audit.events[0]).toMatchObject({
      kind: 'operation',
      system: 'legacy-erp',
      connection: 'legacy-erp',
      operation: 'query',
      entity: 'customers',
      outcome: 'success',
      recordCount: 5,
      actor: { type: 'service', id: 'legacy-erp' },
    })
  })

  it('returns undefined from get when the record does not exist', async () => {
    const { connector } = connect()
    await expect(connector.get('customers', 'C404')).resolves.toBeUndefined()
    await expect(connector.get('customers', 'C2')).resolves.toEqual(ROWS[1])
  })

  it('reports writes per record and audits a partial success with the ids written', async () => {
    const { connector, audit } = connect()
    const results = await connector.create('customers', [{ NAME: 'Ann' }, { NAME: '' }, { NAME: 'Bo' }])
    expect(results.map((result) => result.ok)).toEqual([true, false, true])
    const failed = results[1]
    expect(failed?.ok === false && failed.error.systemCode).toBe('NAME_REQUIRED')
    const event = audit.events[0]
    expect(event).toMatchObject({
      operation: 'create',
      outcome: 'partial',
      recordCount: 3,
      errorCode: 'ERP_FAULT',
    })
    expect(event?.recordIds).toHaveLength(2)
  })

  it('never lets a secret the system echoes back reach an error', async () => {
    const { connector } = connect()
    const [result] = await connector.create('customers', [{ NAME: '' }])
    const error = result?.ok === false ? result.error : undefined
    const everything = JSON.stringify([error?.message, error?.stack, error?.snippet, error?.toJSON()])
    expect(everything).toContain('NAME_REQUIRED')
    expect(everything).not.toContain(PASSWORD)
    expect(everything).not.toContain(btoa(`${USER}:${PASSWORD}`))
  })

  it('maps a refused login to an auth error carrying the system code, and audits the failure', async () => {
    const { connector, audit } = connect({
      auth: { type: 'basic', username: USER, password: 'wrong-password' },
    })
    await expect(connector.get('customers', 'C1')).rejects.toMatchObject({
      code: 'ERP_FAULT',
      status: 401,
      systemCode: 'LOGIN_REQUIRED',
      system: 'legacy-erp',
    })
    expect(audit.events[0]).toMatchObject({ operation: 'get', outcome: 'failure', errorCode: 'ERP_FAULT' })
  })

  it('returns a completed write even when the audit sink fails, and logs the failure', async () => {
    const logged: Array<Record<string, unknown>> = []
    const logger = {
      debug() {},
      info() {},
      warn() {},
      error: (entry: Record<string, unknown>) => logged.push(entry),
    }
    const failingAudit = {
      write: () => Promise.reject(new JunctionError({ code: 'AUDIT_WRITE_FAILED', message: 'disk full' })),
      flush: async () => {},
      close: async () => {},
    }
    const { connector } = connect({ audit: failingAudit, logger })
    const results = await connector.create('customers', [{ NAME: 'Ann' }])
    expect(results[0]?.ok).toBe(true)
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatchObject({ operation: 'create', error: { code: 'AUDIT_WRITE_FAILED' } })
  })

  it('runs middleware a user adds to the stack by name', async () => {
    const { connector } = connect()
    const seen: string[] = []
    const spy: Middleware = (next) => async (request) => {
      seen.push(`${request.method} ${new URL(request.url).pathname} ${request.operation?.name}`)
      return next(request)
    }
    connector.stack.add('spy', spy, { before: 'auth' })
    expect(connector.stack.names()).toEqual(['observe', 'retry', 'circuit-breaker', 'spy', 'auth', 'errors'])
    await connector.get('customers', 'C1')
    expect(seen).toEqual(['GET /customers/C1 get'])
  })

  it('cancels an operation whose deadline passes', async () => {
    const { connector } = connect()
    sim.faults.next({ delayMs: 5_000 })
    await expect(connector.get('customers', 'C1', { timeoutMs: 50 })).rejects.toMatchObject({
      code: 'DEADLINE_EXCEEDED',
    })
  })

  it('runs adapter-specific methods through the same audited wrapper', async () => {
    const { connector, audit } = connect()
    await expect(connector.count()).resolves.toBe(5)
    expect(audit.events[0]).toMatchObject({ operation: 'count', entity: 'customers', outcome: 'success' })
  })

  it('sends any other call through the pipeline with request()', async () => {
    const { connector } = connect()
    const response = await connector.request<{ rows: EntityRecord[] }>({
      path: '/customers',
      query: { page: 3 },
      responseType: 'json',
    })
    expect(response.body.rows).toEqual([ROWS[4]])
  })

  it('records the caller as the actor when one is given', async () => {
    const { connector, audit } = connect()
    await connector.get('customers', 'C1', { actor: 'ann@example.com', correlationId: 'req-7' })
    expect(audit.events[0]).toMatchObject({
      actor: { type: 'user', id: 'ann@example.com' },
      correlationId: 'req-7',
    })
  })

  it('rejects invalid options at construction, naming the option', () => {
    expect(() => legacyErp({ baseUrl: 'not a url' })).toThrow(ConfigError)
    expect(() => legacyErp({ baseUrl: 'not a url' })).toThrow(expect.objectContaining({ option: 'baseUrl' }))
  })

  it('rejects a call without an entity with a validation error', () => {
    const { connector } = connect()
    expect(() => connector.query('')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }))
  })

  it('works the same over a real loopback server', async () => {
    sim = legacyErpSimulator()
    const server = await sim.listen()
    const connector = legacyErp({
      baseUrl: server.url,
      auth: { type: 'basic', username: USER, password: PASSWORD },
    })
    open.push(connector, sim)
    const rows: EntityRecord[] = []
    for await (const row of connector.query('customers')) rows.push(row)
    expect(rows).toEqual(ROWS)
  })

  it('retries a transient failure by default and reports the retry', async () => {
    const { connector } = connect({ retry: { baseMs: 1 } })
    const retries: string[] = []
    connector.events.on('retry', (event) => retries.push(event.reason))
    sim.faults.next({ kind: 'http-503' })
    await expect(connector.get('customers', 'C1')).resolves.toEqual(ROWS[0])
    expect(retries).toEqual(['SERVICE_UNAVAILABLE'])
  })

  it('records the retries an operation needed in its audit event', async () => {
    const { connector, audit } = connect({ retry: { baseMs: 1 } })
    sim.faults.next({ kind: 'http-503', times: 2 })
    await connector.get('customers', 'C1')
    expect(audit.events[0]).toMatchObject({ operation: 'get', outcome: 'success', retries: 2 })
  })

  it('stops calling a failing system once its breaker opens', async () => {
    const { connector } = connect({ retry: false, breaker: { threshold: 2 } })
    const sent: string[] = []
    connector.events.on('request:start', (event) => sent.push(event.path))
    sim.faults.always({ kind: 'http-503' })
    for (let i = 0; i < 2; i++) {
      await expect(connector.get('customers', 'C1')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' })
    }
    await expect(connector.get('customers', 'C1')).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' })
    expect(sent).toHaveLength(3)
    expect(sim.faults.count).toBe(2)
  })

  it('answers a repeated read from the cache and drops it when the record is written', async () => {
    const { connector } = connect({ cache: { store: memoryCache() } })
    const results: string[] = []
    connector.events.on('cache', (event) => results.push(event.result))
    await connector.get('customers', 'C2')
    await connector.get('customers', 'C2')
    await connector.update('customers', [{ id: 'C2', values: { NAME: 'Renamed' } }])
    await connector.get('customers', 'C2')
    expect(results).toEqual(['miss', 'fresh', 'miss'])
  })

  it('answers a read from the cache when the caller asks for it in the operation options', async () => {
    const { connector } = connect({ cache: { store: memoryCache() } })
    const results: string[] = []
    connector.events.on('cache', (event) => results.push(event.result))
    const read = async () => {
      const rows: unknown[] = []
      for await (const row of connector.query('customers', {}, { cache: { ttlMs: 60_000 } })) rows.push(row)
      return rows
    }
    const first = await read()
    expect(await read()).toEqual(first)
    // Three pages: each fetched once, then each answered from the cache.
    expect(results).toEqual(['miss', 'miss', 'miss', 'fresh', 'fresh', 'fresh'])
  })

  it('feeds a metrics recorder with every request', async () => {
    const metrics = createMetrics()
    const { connector } = connect({ metrics })
    await connector.get('customers', 'C1')
    await connector.get('customers', 'C404')
    const series = metrics.snapshot().series.find((entry) => entry.operation === 'get')
    expect(series).toMatchObject({
      system: 'legacy-erp',
      count: 2,
      errors: 1,
      errorsByCode: { NOT_FOUND: 1 },
    })
  })
})
