import type { RequestListener } from 'node:http'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { Agent } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, TimeoutError, TransportError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import type { JunctionRequest } from '../pipeline/request.js'
import { httpServer, type LoopbackServer, recordingServer } from './test-support/loopback-server.js'
import { createTransport, type Transport, type TransportSetup } from './transport.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

async function serve(handler: RequestListener): Promise<LoopbackServer> {
  const server = await httpServer(handler)
  cleanups.push(() => server.close())
  return server
}

async function recording(...args: Parameters<typeof recordingServer>) {
  const server = await recordingServer(...args)
  cleanups.push(() => server.close())
  return server
}

function transport(setup: TransportSetup = {}): Transport {
  const created = createTransport({ proxy: false, ...setup })
  cleanups.push(() => created.close())
  return created
}

function get(url: string, extra: Partial<JunctionRequest> = {}): JunctionRequest {
  return { method: 'GET', url, headers: {}, ...extra }
}

async function failure(promise: Promise<unknown>): Promise<JunctionError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(outcome).toBeInstanceOf(JunctionError)
  return outcome as JunctionError
}

const answer =
  (contentType: string, body: string | Buffer, status = 200): RequestListener =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': contentType }).end(body)
  }

describe('createTransport: reading responses', () => {
  it('parses a JSON body', async () => {
    const server = await serve(answer('application/json; charset=utf-8', '{"id":1,"tags":["a"]}'))
    const response = await transport().send(get(`${server.url}/things/1`))
    expect(response).toMatchObject({ status: 200, body: { id: 1, tags: ['a'] } })
  })

  it('parses a +json media type such as problem details', async () => {
    const server = await serve(answer('application/problem+json', '{"title":"nope"}', 200))
    const response = await transport().send(get(server.url))
    expect(response.body).toEqual({ title: 'nope' })
  })

  it('returns a text body as a string', async () => {
    const server = await serve(answer('text/plain', 'hello'))
    expect((await transport().send(get(server.url))).body).toBe('hello')
  })

  it('returns an XML body as a string', async () => {
    const xml = '<?xml version="1.0"?><feed><entry/></feed>'
    const server = await serve(answer('application/atom+xml', xml))
    expect((await transport().send(get(server.url))).body).toBe(xml)
  })

  it('decodes a text body in the charset its content type names', async () => {
    const server = await serve(
      answer('text/plain; charset=iso-8859-1', Buffer.from([0x63, 0x61, 0x66, 0xe9])),
    )
    expect((await transport().send(get(server.url))).body).toBe('café')
  })

  it('returns a multipart body as a string and keeps its content type for the boundary', async () => {
    const body = '--b1\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n\r\n--b1--\r\n'
    const server = await serve(answer('multipart/mixed; boundary=b1', body))
    const response = await transport().send(get(server.url))
    expect(response.body).toBe(body)
    expect(response.headers['content-type']).toBe('multipart/mixed; boundary=b1')
  })

  it('returns a body of another content type as a Buffer', async () => {
    const bytes = Buffer.from([0, 1, 2, 255])
    const server = await serve(answer('application/octet-stream', bytes))
    const response = await transport().send(get(server.url))
    expect(Buffer.isBuffer(response.body) && response.body.equals(bytes)).toBe(true)
  })

  it('returns undefined for an empty body', async () => {
    const server = await serve((_request, response) => response.writeHead(204).end())
    const response = await transport().send(get(server.url))
    expect(response).toMatchObject({ status: 204, body: undefined })
  })

  it('answers a HEAD request without decoding or capping the body its headers describe', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': '999999999',
      })
      response.end()
    })
    const response = await transport({ maxResponseBytes: 1_000 }).send(get(server.url, { method: 'HEAD' }))
    expect(response).toMatchObject({ status: 200, body: undefined })
    expect(response.headers['content-length']).toBe('999999999')
  })

  it('returns the bytes when the buffer response type is asked for', async () => {
    const server = await serve(answer('application/json', '{"a":1}'))
    const response = await transport().send(get(server.url, { responseType: 'buffer' }))
    expect(Buffer.isBuffer(response.body) && response.body.toString()).toBe('{"a":1}')
  })

  it('returns a JSON body as a string when the text response type is asked for', async () => {
    const server = await serve(answer('application/json', '{"a":1}'))
    expect((await transport().send(get(server.url, { responseType: 'text' }))).body).toBe('{"a":1}')
  })

  it('hands back a stream that yields the body when the stream response type is asked for', async () => {
    const server = await serve(answer('application/octet-stream', 'x'.repeat(100_000)))
    const response = await transport().send<Readable>(get(server.url, { responseType: 'stream' }))
    expect(response.body).toBeInstanceOf(Readable)
    expect(await text(response.body)).toBe('x'.repeat(100_000))
  })

  it('parses an error response even when a stream was asked for', async () => {
    const server = await serve(answer('application/json', '{"error":"gone"}', 404))
    const response = await transport().send(get(server.url, { responseType: 'stream' }))
    expect(response).toMatchObject({ status: 404, body: { error: 'gone' } })
  })

  it('hands back lower-cased response headers with repeated set-cookie as an array', async () => {
    const server = await serve((_request, response) => {
      response.setHeader('X-Request-Id', 'r1')
      response.setHeader('Set-Cookie', ['a=1', 'b=2'])
      response.end()
    })
    const { headers } = await transport().send(get(server.url))
    expect(headers['x-request-id']).toBe('r1')
    expect(headers['set-cookie']).toEqual(['a=1', 'b=2'])
  })

  it('reports the final URL with its query string', async () => {
    const server = await serve(answer('text/plain', ''))
    const response = await transport().send(get(`${server.url}/a`, { query: { q: 'x y' } }))
    expect(response.url).toBe(`${server.url}/a?q=x%20y`)
  })
})

describe('createTransport: sending requests', () => {
  it('sends a JSON body with its content type', async () => {
    const server = await recording()
    await transport().send({
      ...get(server.url),
      method: 'POST',
      body: { type: 'json', value: { name: 'Acme' } },
    })
    expect(server.received[0]?.headers['content-type']).toBe('application/json')
    expect(server.received[0]?.body.toString()).toBe('{"name":"Acme"}')
  })

  it('sends a form body URL-encoded', async () => {
    const server = await recording()
    await transport().send({
      ...get(server.url),
      method: 'POST',
      body: { type: 'form', value: { grant_type: 'password', scope: 'a b' } },
    })
    expect(server.received[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(server.received[0]?.body.toString()).toBe('grant_type=password&scope=a+b')
  })

  it('sends XML with a caller-chosen content type', async () => {
    const server = await recording()
    await transport().send({
      ...get(server.url),
      method: 'POST',
      body: { type: 'xml', value: '<a/>', contentType: 'text/xml' },
    })
    expect(server.received[0]?.headers['content-type']).toBe('text/xml')
    expect(server.received[0]?.body.toString()).toBe('<a/>')
  })

  it('sends multipart form data with its boundary', async () => {
    const server = await recording()
    const form = new FormData()
    form.append('note', 'hello')
    form.append('file', new Blob(['file body'], { type: 'text/plain' }), 'a.txt')
    await transport().send({ ...get(server.url), method: 'POST', body: { type: 'multipart', value: form } })
    const contentType = server.received[0]?.headers['content-type'] ?? ''
    const boundary = contentType.split('boundary=')[1] ?? ''
    expect(contentType.startsWith('multipart/form-data; boundary=')).toBe(true)
    const body = server.received[0]?.body.toString() ?? ''
    expect(body.startsWith(`--${boundary}`)).toBe(true)
    expect(body).toContain('name="note"\r\n\r\nhello')
    expect(body).toContain('filename="a.txt"')
    expect(body).toContain('file body')
  })

  it('streams a raw Readable upload', async () => {
    const server = await recording()
    await transport().send({
      ...get(server.url),
      method: 'PUT',
      body: {
        type: 'raw',
        value: Readable.from([Buffer.from('part1,'), Buffer.from('part2')]),
        contentType: 'text/csv',
      },
    })
    expect(server.received[0]?.headers['content-type']).toBe('text/csv')
    expect(server.received[0]?.body.toString()).toBe('part1,part2')
  })

  it('streams a raw async iterable upload', async () => {
    const server = await recording()
    async function* chunks() {
      yield new TextEncoder().encode('a')
      yield new TextEncoder().encode('b')
    }
    await transport().send({
      ...get(server.url),
      method: 'POST',
      body: { type: 'raw', value: chunks(), contentType: 'application/octet-stream' },
    })
    expect(server.received[0]?.body.toString()).toBe('ab')
  })

  it('repeats a query parameter for each value of an array and leaves out undefined ones', async () => {
    const server = await recording()
    await transport().send(get(`${server.url}/q`, { query: { id: ['1', 2], skip: undefined, active: true } }))
    expect(server.received[0]?.url).toBe('/q?id=1&id=2&active=true')
  })

  it('lets a request header override a default whatever its case', async () => {
    const server = await recording()
    await transport({ userAgent: 'default-agent' }).send(
      get(server.url, { headers: { 'User-Agent': 'mine' } }),
    )
    expect(server.received[0]?.headers['user-agent']).toBe('mine')
  })

  it('sends the configured user agent', async () => {
    const server = await recording()
    await transport({ userAgent: 'junction-test/1' }).send(get(server.url))
    expect(server.received[0]?.headers['user-agent']).toBe('junction-test/1')
  })

  it('sends through a given dispatcher and leaves it open on close', async () => {
    const server = await serve(answer('application/json', '{"ok":true}'))
    const dispatcher = new Agent()
    cleanups.push(() => dispatcher.close())
    const ours = createTransport({ dispatcher })
    await ours.close()
    expect((await ours.send(get(server.url))).body).toEqual({ ok: true })
  })
})

describe('createTransport: compressed responses', () => {
  const payload = JSON.stringify({ rows: Array.from({ length: 50 }, (_, index) => ({ index })) })
  const encoders = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync }

  it.each(Object.keys(encoders) as Array<keyof typeof encoders>)('decodes a %s body', async (encoding) => {
    const server = await serve((request, response) => {
      const accepted = request.headers['accept-encoding'] ?? ''
      if (!accepted.includes(encoding)) return void response.writeHead(406).end()
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding })
      response.end(encoders[encoding](payload))
    })
    const response = await transport().send(get(server.url))
    expect(response.body).toEqual(JSON.parse(payload))
    expect(response.headers['content-encoding']).toBeUndefined()
  })

  it('neither asks for nor decodes compression when decompress is off', async () => {
    const server = await serve((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      response.end(gzipSync(request.headers['accept-encoding'] ?? 'none'))
    })
    const response = await transport({ decompress: false }).send(get(server.url, { responseType: 'buffer' }))
    expect(response.headers['content-encoding']).toBe('gzip')
    expect(Buffer.isBuffer(response.body) && gzipSync('none').equals(response.body)).toBe(true)
  })

  it('fails with MALFORMED_RESPONSE when a gzip body is corrupt', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      response.end('this is not gzip')
    })
    const error = await failure(transport().send(get(server.url)))
    expect(error).toMatchObject({ code: 'MALFORMED_RESPONSE', retryable: true })
  })

  it('counts decompressed bytes against the size cap', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
      response.end(gzipSync('0'.repeat(1_000_000)))
    })
    const error = await failure(transport({ maxResponseBytes: 100_000 }).send(get(server.url)))
    expect(error.code).toBe('RESPONSE_TOO_LARGE')
  })
})

describe('createTransport: the response size cap', () => {
  const chunked: RequestListener = (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' })
    for (let index = 0; index < 20; index++) response.write('y'.repeat(10_000))
    response.end()
  }

  it('fails a buffered read past maxResponseBytes with RESPONSE_TOO_LARGE', async () => {
    const server = await serve(chunked)
    const error = await failure(transport({ maxResponseBytes: 50_000 }).send(get(server.url)))
    expect(error).toBeInstanceOf(TransportError)
    expect(error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', retryable: false, status: 200 })
    expect(error.snippet?.startsWith('yyy')).toBe(true)
  })

  it('fails before reading when the declared content length is over the cap', async () => {
    const server = await serve(answer('text/plain', 'z'.repeat(2_000)))
    const error = await failure(transport({ maxResponseBytes: 1_000 }).send(get(server.url)))
    expect(error.code).toBe('RESPONSE_TOO_LARGE')
  })

  it('errors a streamed body once it passes maxResponseBytes', async () => {
    const server = await serve(chunked)
    const response = await transport({ maxResponseBytes: 50_000 }).send<Readable>(
      get(server.url, { responseType: 'stream' }),
    )
    const error = await failure(text(response.body))
    expect(error.code).toBe('RESPONSE_TOO_LARGE')
  })
})

describe('createTransport: bodies that are not what was asked for', () => {
  it('fails with a retryable MALFORMED_RESPONSE and a snippet when JSON does not parse', async () => {
    const server = await serve(answer('application/json', '{"records":[{"Id":"001'))
    const error = await failure(transport().send(get(server.url)))
    expect(error).toMatchObject({
      code: 'MALFORMED_RESPONSE',
      retryable: true,
      snippet: '{"records":[{"Id":"001',
    })
  })

  it('fails with a retryable UNEXPECTED_CONTENT when JSON was asked for and a 200 HTML page came', async () => {
    const html = `<html><body>${'Your instance is hibernating. '.repeat(40)}</body></html>`
    const server = await serve(answer('text/html', html))
    const error = await failure(transport().send(get(server.url, { responseType: 'json' })))
    expect(error).toMatchObject({ code: 'UNEXPECTED_CONTENT', retryable: true, status: 200 })
    expect(error.snippet?.startsWith('<html><body>Your instance')).toBe(true)
    expect(error.snippet?.length).toBeLessThanOrEqual(513)
  })

  it('hands an HTML error page back as text when JSON was asked for, for the error mapper', async () => {
    const server = await serve(answer('text/html', '<h1>Service Unavailable</h1>', 503))
    const response = await transport().send(get(server.url, { responseType: 'json' }))
    expect(response).toMatchObject({ status: 503, body: '<h1>Service Unavailable</h1>' })
  })

  it('hands a malformed JSON error body back as text', async () => {
    const server = await serve(answer('application/json', '{"error":', 500))
    const response = await transport().send(get(server.url))
    expect(response).toMatchObject({ status: 500, body: '{"error":' })
  })
})

describe('createTransport: failures', () => {
  const silent: RequestListener = () => {}

  it('fails with a retryable TIMEOUT when the headers do not arrive in time', async () => {
    const server = await serve(silent)
    const error = await failure(transport({ headersTimeoutMs: 100 }).send(get(server.url)))
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true })
  })

  it('fails with a retryable TIMEOUT when the body stalls', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' })
      response.write('first chunk')
    })
    const error = await failure(transport({ bodyTimeoutMs: 100 }).send(get(server.url)))
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true, status: 200, snippet: 'first chunk' })
  })

  it('fails with DEADLINE_EXCEEDED when the overall deadline passes', async () => {
    const server = await serve(silent)
    const error = await failure(transport().send(get(server.url, { timeoutMs: 100 })))
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', retryable: false })
  })

  it('applies the transport-wide deadline when the request sets none', async () => {
    const server = await serve(silent)
    const error = await failure(transport({ timeoutMs: 100 }).send(get(server.url)))
    expect(error.code).toBe('DEADLINE_EXCEEDED')
  })

  it('fails with DEADLINE_EXCEEDED when the deadline passes while the body is read', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' })
      response.write('partial')
    })
    const error = await failure(transport().send(get(server.url, { timeoutMs: 150 })))
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', snippet: 'partial' })
  })

  it('fails with a non-retryable ABORTED when the caller aborts', async () => {
    const controller = new AbortController()
    const server = await serve(() => controller.abort())
    const error = await failure(transport().send(get(server.url, { signal: controller.signal })))
    expect(error).toMatchObject({ code: 'ABORTED', retryable: false })
  })

  it('fails with ABORTED at once when the caller signal is already aborted', async () => {
    const server = await recording()
    const error = await failure(transport().send(get(server.url, { signal: AbortSignal.abort() })))
    expect(error.code).toBe('ABORTED')
    expect(server.received).toHaveLength(0)
  })

  it('fails with a retryable CONNECTION_FAILED when the connection is refused', async () => {
    const server = await httpServer(silent)
    await server.close()
    const error = await failure(transport().send(get(server.url)))
    expect(error).toBeInstanceOf(TransportError)
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', retryable: true })
    expect(error.cause).toBeInstanceOf(Error)
  })

  it('fails with a retryable CONNECTION_RESET when the connection drops mid-body', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
      response.write('{"records":[')
      setTimeout(() => response.socket?.destroy(), 20)
    })
    const error = await failure(transport().send(get(server.url)))
    expect(error).toMatchObject({ code: 'CONNECTION_RESET', retryable: true, snippet: '{"records":[' })
  })

  it('errors a streamed body with CONNECTION_RESET when the connection drops', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' })
      response.write('abc')
      setTimeout(() => response.socket?.destroy(), 20)
    })
    const response = await transport().send<Readable>(get(server.url, { responseType: 'stream' }))
    const error = await failure(text(response.body))
    expect(error.code).toBe('CONNECTION_RESET')
  })

  it('names the method and path in the error but never the query string', async () => {
    const server = await serve(silent)
    const error = await failure(
      transport({ headersTimeoutMs: 100 }).send(
        get(`${server.url}/api/items`, { query: { api_key: 'sk-live-123456' } }),
      ),
    )
    expect(error).toMatchObject({ method: 'GET', path: '/api/items' })
    expect(error.message).toContain('GET /api/items')
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('sk-live-123456')
  })

  it('keeps a secret in a URL the caller built itself out of the error', async () => {
    const server = await serve(answer('application/json', '{"broken'))
    const error = await failure(transport().send(get(`${server.url}/x?api_key=sk-live-abcdef`)))
    expect(error.code).toBe('MALFORMED_RESPONSE')
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('sk-live-abcdef')
  })

  it('labels errors with the operation the request belongs to', async () => {
    const server = await serve(answer('application/json', '{'))
    const error = await failure(
      transport().send(get(server.url, { operation: { name: 'query', entity: 'Account' } })),
    )
    expect(error).toMatchObject({ operation: 'query', entity: 'Account' })
  })
})

describe('createTransport: options', () => {
  it('throws a ConfigError naming an invalid option', () => {
    expect(() => createTransport({ headersTimeoutMs: -1 })).toThrow(ConfigError)
    expect(() => createTransport({ headersTimeoutMs: -1 })).toThrow(
      expect.objectContaining({ option: 'headersTimeoutMs' }),
    )
  })

  it('throws a ConfigError naming an unknown option', () => {
    expect(() => createTransport({ timeout: 5 } as TransportSetup)).toThrow(ConfigError)
  })

  it('throws a ConfigError when the dispatcher is not one', () => {
    expect(() => createTransport({ dispatcher: {} as Agent })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: 'dispatcher' }),
    )
  })
})
