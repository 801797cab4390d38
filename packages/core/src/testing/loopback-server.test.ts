import { Readable } from 'node:stream'
import { HttpResponse, http } from 'msw'
import { Agent, request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/error-kinds.js'
import { type LoopbackServer, loopbackServer } from './loopback-server.js'
import { BIG_BYTES, bridgeHandlers } from './test-support/bridge-handlers.js'
import { readUntilFailure, rejection } from './test-support/client-modes.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

async function serve(...args: Parameters<typeof loopbackServer>): Promise<LoopbackServer> {
  const server = await loopbackServer(...args)
  cleanups.push(() => server.close())
  return server
}

describe('loopbackServer', () => {
  it('listens on 127.0.0.1 and reports its URL and port', async () => {
    const server = await serve(bridgeHandlers())
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
    expect((await request(`${server.url}/records`)).statusCode).toBe(200)
  })

  it('answers an unhandled request with a 501 naming it, without the query string', async () => {
    const server = await serve(bridgeHandlers())
    const response = await request(`${server.url}/nowhere?token=secret`, { method: 'DELETE' })
    expect(response.statusCode).toBe(501)
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(await response.body.text()).toBe('no msw handler answered DELETE /nowhere\n')
  })

  it('answers 400 to a request Fetch cannot represent', async () => {
    const server = await serve(bridgeHandlers())
    const response = await request(`${server.url}/echo`, { method: 'TRACE' })
    expect(response.statusCode).toBe(400)
    await response.body.dump()
  })

  it('shows handlers the host the client addressed', async () => {
    const server = await serve([
      http.get('*/whoami', ({ request: incoming }) => HttpResponse.text(incoming.url)),
    ])
    const response = await request(`${server.url}/whoami?x=1`, {
      headers: { host: 'acme.my.salesforce.com' },
    })
    expect(await response.body.text()).toBe('http://acme.my.salesforce.com/whoami?x=1')
  })

  it('streams a 5 MB request body to the handler intact', async () => {
    const server = await serve([
      http.post('*/upload-size', async ({ request: incoming }) => {
        const bytes = new Uint8Array(await incoming.arrayBuffer())
        return HttpResponse.json({ bytes: bytes.byteLength, first: bytes[0], last: bytes.at(-1) })
      }),
    ])
    const body = Readable.from(
      (function* () {
        for (let sent = 0; sent < BIG_BYTES; sent += 64 * 1024) yield Buffer.alloc(64 * 1024, sent % 251)
      })(),
    )
    const response = await request(`${server.url}/upload-size`, { method: 'POST', body })
    expect(await response.body.json()).toEqual({
      bytes: BIG_BYTES,
      first: 0,
      last: (BIG_BYTES - 65_536) % 251,
    })
  })

  it('drops the connection when a response body errors, after the data before it', async () => {
    const server = await serve([
      http.get('*/flaky', () => {
        let pulls = 0
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            pulls += 1
            if (pulls === 1) controller.enqueue(new TextEncoder().encode('{"records":['))
            else controller.error(new Error('boom'))
          },
        })
        return new HttpResponse(body)
      }),
    ])
    const response = await request(`${server.url}/flaky`)
    const { received, error } = await readUntilFailure(response.body)
    expect(received).toBe(12)
    expect(error).toMatchObject({ code: 'UND_ERR_SOCKET' })
  })

  it('aborts the request signal handlers see when the client goes away', async () => {
    let sawAbort: () => void = () => {}
    const handlerSawAbort = new Promise<void>((resolve) => {
      sawAbort = resolve
    })
    const server = await serve([
      http.get('*/slow', ({ request: incoming }) => {
        incoming.signal.addEventListener('abort', () => sawAbort())
        return new Promise<never>(() => {})
      }),
    ])
    const controller = new AbortController()
    const pending = request(`${server.url}/slow`, { signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await rejection(pending)
    await handlerSawAbort
  })

  it('closes promptly with idle keep-alive connections open, then refuses connections', async () => {
    const server = await loopbackServer(bridgeHandlers())
    const agent = new Agent({ keepAliveTimeout: 60_000 })
    cleanups.push(() => agent.destroy())
    await (await request(`${server.url}/records`, { dispatcher: agent })).body.dump()
    await server.close()
    expect(await rejection(request(`${server.url}/records`))).toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('names an invalid port', async () => {
    const error = await rejection(loopbackServer([], { port: -1 }))
    expect(error).toBeInstanceOf(ConfigError)
    expect(error).toMatchObject({ option: 'port' })
  })
})
