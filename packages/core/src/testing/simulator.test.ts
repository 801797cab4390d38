import { Readable } from 'node:stream'
import { HttpResponse, http } from 'msw'
import { request } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { TimeoutError, TransportError } from '../errors/error-kinds.js'
import { createTransport } from '../transport/transport.js'
import { createSimulator, type Simulator } from './simulator.js'
import {
  BIG_BYTES,
  bigBodyDigest,
  bridgeHandlers,
  type Echo,
  RECORDS,
  type UploadEcho,
} from './test-support/bridge-handlers.js'
import {
  ALL_MODES,
  type ClientMode,
  digestBody,
  FAKE_ORIGIN,
  readBytes,
  readJson,
  readText,
  rejection,
  UNDICI_MODES,
} from './test-support/client-modes.js'

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part)
}

describe.each(ALL_MODES)('one handler set, served by $name', (factory) => {
  const sim = createSimulator({ handlers: bridgeHandlers() })
  let client: ClientMode
  beforeAll(async () => {
    client = await factory.start(sim.handlers)
  })
  afterAll(async () => {
    await client.close()
    await sim.close()
  })

  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('delivers a %s request', async (method) => {
    const response = await client.send('/echo', { method })
    expect(response.status).toBe(200)
    expect(await readJson<Echo>(response.body)).toMatchObject({ method, path: '/echo' })
  })

  it('passes request headers through', async () => {
    const response = await client.send('/echo', { headers: { 'x-request-id': 'r-42', accept: 'text/csv' } })
    expect((await readJson<Echo>(response.body)).headers).toMatchObject({
      'x-request-id': 'r-42',
      accept: 'text/csv',
    })
  })

  it('keeps the query string, repeated and encoded parameters included', async () => {
    const response = await client.send('/echo?q=SELECT%20Id%20FROM%20Lead&tag=a&tag=b')
    expect((await readJson<Echo>(response.body)).query).toEqual([
      ['q', 'SELECT Id FROM Lead'],
      ['tag', 'a'],
      ['tag', 'b'],
    ])
  })

  it('carries a JSON request body', async () => {
    const response = await client.send('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Email: 'ada@example.com' }),
    })
    const echo = await readJson<Echo>(response.body)
    expect(JSON.parse(echo.bodyText)).toEqual({ Email: 'ada@example.com' })
    expect(echo.headers['content-type']).toBe('application/json')
  })

  it('carries a text request body', async () => {
    const response = await client.send('/echo', { method: 'PUT', body: 'plain text, ünïcödé' })
    expect((await readJson<Echo>(response.body)).bodyText).toBe('plain text, ünïcödé')
  })

  it('carries a binary request body byte for byte', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, index) => index)
    const response = await client.send('/echo', { method: 'POST', body: bytes })
    expect(Buffer.from((await readJson<Echo>(response.body)).bodyBase64, 'base64')).toEqual(
      Buffer.from(bytes),
    )
  })

  it('carries a streamed request body', async () => {
    const response = await client.send('/echo', {
      method: 'POST',
      body: chunks('first,', 'second,', 'third'),
    })
    expect((await readJson<Echo>(response.body)).bodyText).toBe('first,second,third')
  })

  it('carries a multipart form with a file', async () => {
    const form = new FormData()
    form.append('title', 'Quarterly report')
    form.append('attachment', new File(['a,b\n1,2\n'], 'report.csv', { type: 'text/csv' }))
    const response = await client.send('/upload', { method: 'POST', body: form })
    expect(await readJson<UploadEcho>(response.body)).toEqual({
      title: 'Quarterly report',
      attachment: { file: 'report.csv', type: 'text/csv', text: 'a,b\n1,2\n' },
    })
  })

  it('returns status, status text, headers and each set-cookie separately', async () => {
    const response = await client.send('/cookies')
    expect(response.status).toBe(201)
    expect(response.statusText).toBe('Made It')
    expect(response.headers['x-trace']).toBe('trace-1')
    expect(response.headers['set-cookie']).toEqual(['sid=abc; Path=/; HttpOnly', 'theme=dark; Path=/'])
    expect(await readText(response.body)).toBe('made')
  })

  it('streams a 5 MB response intact', async () => {
    const response = await client.send('/big')
    expect(await digestBody(response.body)).toEqual({ bytes: BIG_BYTES, sha256: bigBodyDigest() })
  })

  it('answers 500 when a handler throws', async () => {
    const response = await client.send('/broken')
    expect(response.status).toBe(500)
    expect(await readJson<{ message: string }>(response.body)).toMatchObject({
      message: 'the handler has a bug',
    })
  })
})

describe.each(UNDICI_MODES)('undici specifics, served by $name', (factory) => {
  const sim = createSimulator({ handlers: bridgeHandlers() })
  let client: ClientMode
  beforeAll(async () => {
    client = await factory.start(sim.handlers)
  })
  afterAll(async () => {
    await client.close()
    await sim.close()
  })

  // msw's own fetch interception hands the handler's body to a HEAD request, so this is undici-only.
  it('answers a HEAD request with headers and no body', async () => {
    const response = await client.send('/records', { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe('application/json')
    expect((await readBytes(response.body)).byteLength).toBe(0)
  })

  it('returns a redirect as is instead of following it', async () => {
    const response = await client.send('/moved')
    expect(response.status).toBe(302)
    expect(response.headers.location).toBe('/records')
    await readBytes(response.body)
  })

  it('fails the request when a handler answers HttpResponse.error()', async () => {
    expect(await rejection(client.send('/dropped'))).toMatchObject({ code: 'UND_ERR_SOCKET' })
  })

  it('carries a Node Readable request body', async () => {
    const response = await client.send('/echo', { method: 'POST', body: Readable.from(['a', 'b', 'c']) })
    expect((await readJson<Echo>(response.body)).bodyText).toBe('abc')
  })
})

describe('createSimulator', () => {
  const sims: Simulator[] = []
  const simulator = (): Simulator => {
    const sim = createSimulator({ handlers: bridgeHandlers() })
    sims.push(sim)
    return sim
  }
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((sim) => sim.close()))
  })

  it('puts the fault handler before the given handlers', () => {
    const handlers = bridgeHandlers()
    const sim = createSimulator({ handlers })
    expect(sim.handlers).toEqual([sim.faults.handler, ...handlers])
  })

  it('creates its dispatcher once, on first use', () => {
    const sim = simulator()
    expect(sim.dispatcher).toBe(sim.dispatcher)
  })

  it('serves the same handlers on loopback and in-process', async () => {
    const sim = simulator()
    const server = await sim.listen()
    const overSocket = await request(`${server.url}/records`)
    const inProcess = await request(`${FAKE_ORIGIN}/records`, { dispatcher: sim.dispatcher })
    expect(await overSocket.body.json()).toEqual(RECORDS)
    expect(await inProcess.body.json()).toEqual(RECORDS)
  })

  it('closes the servers it started and its dispatcher', async () => {
    const sim = createSimulator({ handlers: bridgeHandlers() })
    const server = await sim.listen()
    const dispatcher = sim.dispatcher
    await sim.close()
    expect(await rejection(request(`${server.url}/records`))).toMatchObject({ code: 'ECONNREFUSED' })
    expect(await rejection(request(`${FAKE_ORIGIN}/records`, { dispatcher }))).toMatchObject({
      code: 'UND_ERR_DESTROYED',
    })
  })

  it('lets a server started by listen() be closed on its own', async () => {
    const sim = simulator()
    const first = await sim.listen()
    const second = await sim.listen()
    await first.close()
    expect(await rejection(request(`${first.url}/records`))).toMatchObject({ code: 'ECONNREFUSED' })
    expect((await request(`${second.url}/records`)).statusCode).toBe(200)
  })

  it('applies the dispatcher options it is given', async () => {
    const sim = createSimulator({
      handlers: [http.get('*/never', () => new Promise<never>(() => {}))],
      dispatcher: { headersTimeout: 50 },
    })
    sims.push(sim)
    expect(await rejection(request(`${FAKE_ORIGIN}/never`, { dispatcher: sim.dispatcher }))).toMatchObject({
      code: 'UND_ERR_HEADERS_TIMEOUT',
    })
  })
})

describe.each(UNDICI_MODES)("Junction's transport through the $name", (factory) => {
  const sim = createSimulator({
    handlers: [
      ...bridgeHandlers(),
      http.post('*/services/data/v62.0/sobjects/Lead', async ({ request: incoming }) => {
        const lead = (await incoming.json()) as { Email: string }
        return HttpResponse.json({ id: '00Q000000000009', success: true, email: lead.Email }, { status: 201 })
      }),
    ],
  })
  let origin: string
  let close: () => Promise<void> = async () => {}
  beforeAll(async () => {
    if (factory.name === 'loopback server') {
      const server = await sim.listen()
      origin = server.url
      close = server.close
    } else {
      origin = FAKE_ORIGIN
    }
  })
  afterEach(() => sim.faults.clear())
  afterAll(async () => {
    await close()
    await sim.close()
  })
  const transport = () =>
    createTransport(
      factory.name === 'loopback server'
        ? { proxy: false, headersTimeoutMs: 200 }
        : { dispatcher: sim.dispatcher, headersTimeoutMs: 200 },
    )

  it('reads JSON', async () => {
    const response = await transport().send({ method: 'GET', url: `${origin}/records`, headers: {} })
    expect(response).toMatchObject({ status: 200, body: RECORDS })
  })

  it('sends a JSON body', async () => {
    const response = await transport().send({
      method: 'POST',
      url: `${origin}/services/data/v62.0/sobjects/Lead`,
      headers: {},
      body: { type: 'json', value: { Email: 'ada@example.com' } },
    })
    expect(response).toMatchObject({ status: 201, body: { success: true, email: 'ada@example.com' } })
  })

  it('reports a reset mid-body as CONNECTION_RESET', async () => {
    sim.faults.next({ kind: 'reset-mid-body' })
    const error = await rejection(transport().send({ method: 'GET', url: `${origin}/big`, headers: {} }))
    expect(error).toBeInstanceOf(TransportError)
    expect(error).toMatchObject({ code: 'CONNECTION_RESET' })
  })

  it('reports slow headers as TIMEOUT', async () => {
    sim.faults.next({ kind: 'slow-headers' })
    const error = await rejection(transport().send({ method: 'GET', url: `${origin}/records`, headers: {} }))
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error).toMatchObject({ code: 'TIMEOUT' })
  })
})

describe("Junction's transport through the in-process dispatcher, unhandled", () => {
  it('fails an unhandled request with CONNECTION_FAILED', async () => {
    const sim = createSimulator({ handlers: bridgeHandlers() })
    const error = await rejection(
      createTransport({ dispatcher: sim.dispatcher }).send({
        method: 'GET',
        url: `${FAKE_ORIGIN}/nothing/here`,
        headers: {},
      }),
    )
    await sim.close()
    expect(error).toBeInstanceOf(TransportError)
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED' })
  })
})
