import { performance } from 'node:perf_hooks'
import { getResponse, HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/error-kinds.js'
import { faults } from './fault-injector.js'
import { bridgeHandlers, RECORDS } from './test-support/bridge-handlers.js'
import {
  ALL_MODES,
  type ClientMode,
  FAKE_ORIGIN,
  readBytes,
  readJson,
  readText,
  readUntilFailure,
  rejection,
} from './test-support/client-modes.js'

const recordsLength = Buffer.byteLength(JSON.stringify(RECORDS))

describe.each(ALL_MODES)('fault injection, served by $name', (factory) => {
  const handlers = bridgeHandlers()
  const injector = faults({ handlers })
  let client: ClientMode
  beforeAll(async () => {
    client = await factory.start([injector.handler, ...handlers])
  })
  afterEach(() => injector.clear())
  afterAll(() => client.close())

  it('throttles with a 429 and a Retry-After in seconds', async () => {
    injector.next({ kind: 'rate-limit', retryAfter: 7 })
    const response = await client.send('/records')
    expect(response.status).toBe(429)
    expect(response.headers['retry-after']).toBe('7')
    await readBytes(response.body)
  })

  it('defaults the rate limit Retry-After to one second', async () => {
    injector.next({ kind: 'rate-limit' })
    const response = await client.send('/records')
    expect(response.headers['retry-after']).toBe('1')
    await readBytes(response.body)
  })

  it('sends a Retry-After given as an HTTP-date as is', async () => {
    injector.next({ status: 429, retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT' })
    const response = await client.send('/records')
    expect(response.status).toBe(429)
    expect(response.headers['retry-after']).toBe('Wed, 21 Oct 2026 07:28:00 GMT')
    await readBytes(response.body)
  })

  it('answers 503 for an http-503 fault', async () => {
    injector.next({ kind: 'http-503' })
    const response = await client.send('/records')
    expect(response.status).toBe(503)
    expect(await readText(response.body)).toBe('Service Unavailable')
  })

  it('answers a status fault with its headers and a JSON body', async () => {
    injector.next({
      status: 401,
      headers: { 'www-authenticate': 'Bearer' },
      body: [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }],
    })
    const response = await client.send('/records')
    expect(response.status).toBe(401)
    expect(response.headers['www-authenticate']).toBe('Bearer')
    expect(await readJson(response.body)).toEqual([
      { errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' },
    ])
  })

  it('drops the connection after part of the real body', async () => {
    injector.next({ kind: 'reset-mid-body' })
    const response = await client.send('/records')
    expect(response.status).toBe(200)
    const { received, error } = await readUntilFailure(response.body)
    expect(error).toBeInstanceOf(Error)
    expect(received).toBeGreaterThan(0)
    expect(received).toBeLessThan(recordsLength)
  })

  it('truncates the real JSON into a complete 200 that does not parse', async () => {
    injector.next({ kind: 'truncated-json' })
    const response = await client.send('/records')
    expect(response.status).toBe(200)
    const text = await readText(response.body)
    expect(text.length).toBe(Math.floor(recordsLength / 2))
    expect(response.headers['content-length']).toBe(String(text.length))
    expect(() => JSON.parse(text)).toThrow(SyntaxError)
  })

  it("holds the headers back past the client's headers timeout", async () => {
    injector.next({ kind: 'slow-headers' })
    const error = await rejection(client.send('/records', { headersTimeout: 100 }))
    if (client.undici) expect(error).toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' })
    else expect(error).toMatchObject({ name: 'TimeoutError' })
  })

  it('answers slowly, then with the real response, when slow-headers has a delay', async () => {
    injector.next({ kind: 'slow-headers', delayMs: 20 })
    const response = await client.send('/records')
    expect(await readJson(response.body)).toEqual(RECORDS)
  })

  it('serves an HTML maintenance page with a 200', async () => {
    injector.next({ kind: 'html-200' })
    const response = await client.send('/records')
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(await readText(response.body)).toContain('<html')
  })

  it('adds latency before the real response', async () => {
    injector.next({ delayMs: 150 })
    const started = performance.now()
    const response = await client.send('/records')
    expect(await readJson(response.body)).toEqual(RECORDS)
    // A lower bound only (with timer-rounding slack): it cannot fail because a machine is slow.
    expect(performance.now() - started).toBeGreaterThanOrEqual(145)
  })

  it('applies a next() fault to one request only', async () => {
    injector.next({ kind: 'http-503' })
    const statuses = []
    for (let call = 0; call < 3; call += 1) {
      const response = await client.send('/records')
      statuses.push(response.status)
      await readBytes(response.body)
    }
    expect(statuses).toEqual([503, 200, 200])
    expect(injector.count).toBe(1)
  })

  it('applies a next() fault with times to that many requests', async () => {
    injector.next({ kind: 'http-503', times: 2 })
    const statuses = []
    for (let call = 0; call < 3; call += 1) {
      const response = await client.send('/records')
      statuses.push(response.status)
      await readBytes(response.body)
    }
    expect(statuses).toEqual([503, 503, 200])
  })

  it('applies an always() fault until clear()', async () => {
    injector.always({ status: 500 })
    const before = [await client.send('/records'), await client.send('/echo')]
    injector.clear()
    const after = await client.send('/records')
    expect(before.map((response) => response.status)).toEqual([500, 500])
    expect(after.status).toBe(200)
    await Promise.all([...before, after].map((response) => readBytes(response.body)))
  })

  it('applies a fault only to requests its match selects', async () => {
    injector.next({ kind: 'http-503', match: { method: 'post', path: '/rec*' } })
    const get = await client.send('/records')
    const otherPath = await client.send('/echo', { method: 'POST' })
    const matched = await client.send('/records', { method: 'POST' })
    expect([get.status, otherPath.status, matched.status]).toEqual([200, 200, 503])
    await Promise.all([get, otherPath, matched].map((response) => readBytes(response.body)))
  })
})

describe('faults', () => {
  const request = (path: string, method = 'GET') => new Request(`${FAKE_ORIGIN}${path}`, { method })

  it('leaves requests no fault applies to to the handlers behind it', async () => {
    const injector = faults()
    const response = await getResponse([injector.handler, ...bridgeHandlers()], request('/records'))
    expect(await response?.json()).toEqual(RECORDS)
  })

  it('matches a path against a RegExp', async () => {
    const injector = faults()
    injector.always({ status: 418, match: { path: /^\/records$/ } })
    const hit = await getResponse([injector.handler], request('/records'))
    const miss = await getResponse([injector.handler], request('/records/1'))
    expect(hit?.status).toBe(418)
    expect(miss).toBeUndefined()
  })

  it('applies queued next() faults before always() faults, in order', async () => {
    const injector = faults()
    injector.always({ status: 500 })
    injector.next({ status: 502 })
    injector.next({ status: 503 })
    const statuses = []
    for (let call = 0; call < 3; call += 1) {
      statuses.push((await getResponse([injector.handler], request('/x')))?.status)
    }
    expect(statuses).toEqual([502, 503, 500])
  })

  it('counts the requests it applied a fault to, and clear() resets the count', async () => {
    const injector = faults()
    injector.always({ status: 500, match: { path: '/a' } })
    await getResponse([injector.handler], request('/a'))
    await getResponse([injector.handler], request('/b'))
    await getResponse([injector.handler], request('/a'))
    expect(injector.count).toBe(2)
    injector.clear()
    expect(injector.count).toBe(0)
  })

  it('reads the handlers behind it from a function on each request', async () => {
    let behind = [http.get('*/v', () => HttpResponse.json({ version: 1 }))]
    const injector = faults({ handlers: () => behind })
    injector.always({ kind: 'truncated-json' })
    const first = await getResponse([injector.handler], request('/v'))
    behind = [http.get('*/v', () => HttpResponse.json({ version: 22 }))]
    const second = await getResponse([injector.handler], request('/v'))
    expect(await first?.text()).toBe('{"vers')
    expect(await second?.text()).toBe('{"versi')
  })

  it('refuses a fault that does nothing', () => {
    expect(() => faults().next({ match: { path: '/x' } })).toThrow(ConfigError)
  })

  it('names the invalid field of a fault', () => {
    const error = (() => {
      try {
        faults().next({ status: 99 })
      } catch (caught) {
        return caught
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect(error).toMatchObject({ option: 'status' })
  })

  it('refuses a status on a fault kind that passes the real response on', () => {
    expect(() => faults({ handlers: [] }).next({ kind: 'truncated-json', status: 500 })).toThrow(ConfigError)
  })

  it('refuses a body-reshaping fault when it cannot reach the real handlers', () => {
    expect(() => faults().always({ kind: 'reset-mid-body' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: 'handlers' }),
    )
  })
})

describe("faults in msw's setupServer", () => {
  const handlers = bridgeHandlers()
  const unhandled: string[] = []
  const injector = faults({ handlers: () => server.listHandlers() })
  const server = setupServer(injector.handler, ...handlers)
  beforeAll(() =>
    server.listen({
      onUnhandledRequest: (request, print) => {
        unhandled.push(new URL(request.url).pathname)
        print.error()
      },
    }),
  )
  afterAll(() => server.close())

  it("leaves msw's unhandled-request strategy in charge of requests no fault applies to", async () => {
    injector.always({ status: 500, match: { path: '/records' } })
    await rejection(fetch(`${FAKE_ORIGIN}/nowhere`))
    injector.clear()
    expect(unhandled).toEqual(['/nowhere'])
  })

  it('reshapes the real response found through server.listHandlers()', async () => {
    injector.next({ kind: 'truncated-json' })
    const response = await fetch(`${FAKE_ORIGIN}/records`)
    expect((await response.text()).length).toBe(Math.floor(recordsLength / 2))
  })
})
