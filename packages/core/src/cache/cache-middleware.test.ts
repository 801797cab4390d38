import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { JunctionEventMap } from '../observability/junction-events.js'
import type { Middleware } from '../pipeline/middleware-stack.js'
import type { JunctionResponse } from '../pipeline/request.js'
import { cacheNamespace, recordTag } from './cache-keys.js'
import type { CacheOptions } from './cache-middleware.js'
import type { CacheStore } from './cache-store.js'
import { invalidateRecords } from './invalidate-records.js'
import { memoryCache } from './memory-cache.js'
import {
  accountRead,
  type CountingUpstream,
  cachedClient,
  countingUpstream,
} from './test-support/counting-upstream.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Account {
  id: string
  version: number
  at: string | Date
}

const PAST_TTL_MS = 250

describe('cacheMiddleware', () => {
  let upstream: CountingUpstream
  let store: CacheStore
  const clients: Array<{ transport: { close(): Promise<void> } }> = []

  const client = (
    options: Partial<CacheOptions> = {},
    connection = 'crm',
    extra: Record<string, Middleware> = {},
  ) => {
    const created = cachedClient({ store, ...options }, { connection }, extra)
    clients.push(created)
    const results: Array<JunctionEventMap['cache']['result']> = []
    created.context.events.on('cache', (event) => results.push(event.result))
    return { ...created, results }
  }

  beforeAll(async () => {
    upstream = await countingUpstream()
  })
  beforeEach(async () => {
    store = memoryCache()
    upstream.setVersion(1)
    upstream.sim.faults.clear()
  })
  afterAll(async () => {
    await Promise.all(clients.map((created) => created.transport.close()))
    await upstream.close()
  })

  it('answers a repeated read from the cache with one upstream call', async () => {
    const { send, results } = client()
    const before = upstream.calls()
    const first = await send<Account>(accountRead(upstream, '001'))
    const second = await send<Account>(accountRead(upstream, '001'))
    expect(second.body).toEqual(first.body)
    expect(upstream.calls() - before).toBe(1)
    expect(results).toEqual(['miss', 'fresh'])
  })

  it('never caches a request without a cache directive', async () => {
    const { send } = client()
    const before = upstream.calls()
    const read = { ...accountRead(upstream, '002'), cache: undefined }
    await send(read)
    await send(read)
    expect(upstream.calls() - before).toBe(2)
  })

  it('goes upstream again once the ttl has passed', async () => {
    const { send, results } = client({ ttlMs: 50 })
    await send(accountRead(upstream, '003'))
    upstream.setVersion(2)
    await sleep(PAST_TTL_MS)
    const again = await send<Account>(accountRead(upstream, '003'))
    expect(again.body.version).toBe(2)
    expect(results).toEqual(['miss', 'miss'])
  })

  it('lets a directive set its own ttl', async () => {
    const { send } = client({ ttlMs: 60_000 })
    await send(accountRead(upstream, '004', { ttlMs: 50 }))
    upstream.setVersion(2)
    await sleep(PAST_TTL_MS)
    expect((await send<Account>(accountRead(upstream, '004', { ttlMs: 50 }))).body.version).toBe(2)
  })

  it('serves a stale entry at once and refreshes it with one background call', async () => {
    const { send, results } = client({ ttlMs: 50, staleMs: 60_000 })
    await send(accountRead(upstream, '005'))
    upstream.setVersion(2)
    upstream.sim.faults.always({ delayMs: 100 })
    await sleep(PAST_TTL_MS)
    const before = upstream.calls()
    const stale = await Promise.all([
      send<Account>(accountRead(upstream, '005')),
      send<Account>(accountRead(upstream, '005')),
    ])
    expect(stale.map((response) => response.body.version)).toEqual([1, 1])
    await vi.waitFor(async () =>
      expect((await send<Account>(accountRead(upstream, '005'))).body.version).toBe(2),
    )
    expect(upstream.calls() - before).toBe(1)
    expect(results.slice(0, 3)).toEqual(['miss', 'stale', 'stale'])
  })

  it('serves a later stale read during one refresh without starting another', async () => {
    const { send } = client({ ttlMs: 50, staleMs: 60_000 })
    await send(accountRead(upstream, '006'))
    upstream.sim.faults.always({ delayMs: 300 })
    await sleep(PAST_TTL_MS)
    const before = upstream.calls()
    await send(accountRead(upstream, '006'))
    await send(accountRead(upstream, '006'))
    await vi.waitFor(() => expect(upstream.calls() - before).toBe(1))
    await sleep(PAST_TTL_MS)
    expect(upstream.calls() - before).toBe(1)
  })

  it('serves a stale entry when its refresh fails with a retryable error', async () => {
    const { send, results } = client({ ttlMs: 50, staleIfErrorMs: 60_000 })
    await send(accountRead(upstream, '007'))
    await sleep(PAST_TTL_MS)
    upstream.sim.faults.next({ status: 503 })
    const response = await send<Account>(accountRead(upstream, '007'))
    expect(response.body.version).toBe(1)
    expect(results).toEqual(['miss', 'stale'])
  })

  it('fails and drops the stale entry when its refresh fails with a non-retryable error', async () => {
    const { send } = client({ ttlMs: 50, staleIfErrorMs: 60_000 })
    await send(accountRead(upstream, '008'))
    await sleep(PAST_TTL_MS)
    upstream.sim.faults.next({ status: 404 })
    await expect(send(accountRead(upstream, '008'))).rejects.toMatchObject({ code: 'NOT_FOUND' })
    upstream.setVersion(3)
    expect((await send<Account>(accountRead(upstream, '008'))).body.version).toBe(3)
  })

  it('passes the error on when there is no stale entry to fall back on', async () => {
    const { send } = client({ staleIfErrorMs: 60_000 })
    upstream.sim.faults.next({ status: 503 })
    await expect(send(accountRead(upstream, '009'))).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' })
  })

  it('makes one upstream call for 1,000 concurrent identical misses', async () => {
    const { send, results } = client()
    const before = upstream.calls()
    const responses = await Promise.all(
      Array.from({ length: 1_000 }, () => send<Account>(accountRead(upstream, '010'))),
    )
    expect(upstream.calls() - before).toBe(1)
    expect(new Set(responses.map((response) => response.body.version))).toEqual(new Set([1]))
    expect(results).toHaveLength(1_000)
  })

  it('lets one coalesced caller abort without failing the others', async () => {
    const { send } = client()
    upstream.sim.faults.always({ delayMs: 200 })
    const controller = new AbortController()
    // The caller that aborts is the one whose read started the shared fetch.
    const waiting = send({ ...accountRead(upstream, '020'), signal: controller.signal })
    const other = send<Account>(accountRead(upstream, '020'))
    controller.abort()
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' })
    expect((await other).body.id).toBe('020')
  })

  it('gives each coalesced caller its own copy of the response', async () => {
    const { send } = client()
    const [first, second] = await Promise.all([
      send<Account>(accountRead(upstream, '011')),
      send<Account>(accountRead(upstream, '011')),
    ])
    if (first === undefined || second === undefined) throw new Error('missing response')
    first.body.version = 99
    expect(second.body.version).toBe(1)
  })

  it('never shares an entry between two tenants', async () => {
    const acme = client({ tenant: 'acme' })
    const globex = client({ tenant: 'globex' })
    const before = upstream.calls()
    await acme.send(accountRead(upstream, '012'))
    await globex.send(accountRead(upstream, '012'))
    await acme.send(accountRead(upstream, '012'))
    expect(upstream.calls() - before).toBe(2)
    expect(globex.results).toEqual(['miss'])
  })

  it('never shares an entry between two connections of a tenant', async () => {
    const crm = client({}, 'crm')
    const erp = client({}, 'erp')
    const before = upstream.calls()
    await crm.send(accountRead(upstream, '013', { key: 'same' }))
    await erp.send(accountRead(upstream, '013', { key: 'same' }))
    expect(upstream.calls() - before).toBe(2)
  })

  it('drops the reads tagged with a record when invalidateRecords names it', async () => {
    const { send } = client({ tenant: 'acme' })
    const read = () => send<Account>(accountRead(upstream, '014', { tags: [recordTag('Account', '014')] }))
    await read()
    upstream.setVersion(2)
    expect(await invalidateRecords(store, cacheNamespace('acme', 'crm'), 'Account', ['014'])).toBe(1)
    expect((await read()).body.version).toBe(2)
  })

  it('leaves another tenant’s reads of the same record alone on invalidation', async () => {
    const { send } = client({ tenant: 'globex' })
    const read = () => send<Account>(accountRead(upstream, '015', { tags: [recordTag('Account', '015')] }))
    await read()
    expect(await invalidateRecords(store, cacheNamespace('acme', 'crm'), 'Account', ['015'])).toBe(0)
  })

  it('returns Dates a lower middleware produced as Dates from the cache', async () => {
    const dates: Middleware = (next) => async (request) => {
      const response = (await next(request)) as JunctionResponse<Account>
      return { ...response, body: { ...response.body, at: new Date(response.body.at) } } as never
    }
    const { send } = client({}, 'crm', { dates })
    await send(accountRead(upstream, '016'))
    const cached = await send<Account>(accountRead(upstream, '016'))
    expect(cached.body.at).toBeInstanceOf(Date)
    expect((cached.body.at as Date).toISOString()).toBe('2026-11-24T10:00:00.000Z')
  })

  it('answers from upstream when the cache store fails', async () => {
    store = memoryCache()
    await store.close()
    const { send } = client()
    const before = upstream.calls()
    expect((await send<Account>(accountRead(upstream, '019'))).body.id).toBe('019')
    expect(upstream.calls() - before).toBe(1)
  })

  it('rejects a directive with a negative ttl with a ValidationError', async () => {
    const { send } = client()
    await expect(send(accountRead(upstream, '017', { ttlMs: -1 }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })

  it('rejects a streamed cacheable read with a ValidationError', async () => {
    const { send } = client()
    await expect(send({ ...accountRead(upstream, '018'), responseType: 'stream' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })

  it('rejects options without a store with a ConfigError', () => {
    expect(() => cachedClient({} as CacheOptions)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    )
  })
})
