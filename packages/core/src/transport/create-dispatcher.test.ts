import type { RequestListener } from 'node:http'
import type { ServerOptions } from 'node:https'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { JunctionError } from '../errors/junction-error.js'
import type { JunctionRequest } from '../pipeline/request.js'
import { connectProxy } from './test-support/connect-proxy.js'
import { httpServer, httpsServer, type LoopbackServer } from './test-support/loopback-server.js'
import { createTestCertificates, type TestCertificates } from './test-support/test-certificates.js'
import { createTransport, type Transport, type TransportSetup } from './transport.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

function transport(setup: TransportSetup): Transport {
  const created = createTransport(setup)
  cleanups.push(() => created.close())
  return created
}

async function serve<S extends LoopbackServer>(server: Promise<S>): Promise<S> {
  const started = await server
  cleanups.push(() => started.close())
  return started
}

const get = (url: string): JunctionRequest => ({ method: 'GET', url, headers: {} })

const ok: RequestListener = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
}

async function failure(promise: Promise<unknown>): Promise<JunctionError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(outcome).toBeInstanceOf(JunctionError)
  return outcome as JunctionError
}

let certificates: TestCertificates
beforeAll(() => {
  certificates = createTestCertificates()
})

describe('createDispatcher: TLS', () => {
  const tlsServer = (extra: ServerOptions = {}) =>
    serve(httpsServer({ cert: certificates.server.cert, key: certificates.server.key, ...extra }, ok))

  it('refuses a self-signed certificate with a non-retryable TLS_FAILED', async () => {
    const server = await tlsServer()
    const error = await failure(transport({ proxy: false }).send(get(server.url)))
    expect(error).toMatchObject({ code: 'TLS_FAILED', retryable: false })
  })

  it('accepts a self-signed certificate given as the trusted ca', async () => {
    const server = await tlsServer()
    const response = await transport({ proxy: false, tls: { ca: certificates.server.cert } }).send(
      get(server.url),
    )
    expect(response).toMatchObject({ status: 200, body: { ok: true } })
  })

  it('refuses a certificate issued for another host name with TLS_FAILED', async () => {
    const server = await tlsServer()
    const error = await failure(
      transport({ proxy: false, tls: { ca: certificates.server.cert, servername: 'erp.example.com' } }).send(
        get(server.url),
      ),
    )
    expect(error.code).toBe('TLS_FAILED')
  })

  it('fails with TLS_FAILED when a TLS 1.2 server requires a client certificate and none is given', async () => {
    const server = await tlsServer({
      requestCert: true,
      rejectUnauthorized: true,
      ca: certificates.clientCa,
      maxVersion: 'TLSv1.2',
    })
    const error = await failure(
      transport({ proxy: false, tls: { ca: certificates.server.cert } }).send(get(server.url)),
    )
    expect(error).toMatchObject({ code: 'TLS_FAILED', retryable: false })
  })

  it('fails when a TLS 1.3 server requires a client certificate and none is given', async () => {
    const server = await tlsServer({ requestCert: true, rejectUnauthorized: true, ca: certificates.clientCa })
    const error = await failure(
      transport({ proxy: false, tls: { ca: certificates.server.cert } }).send(get(server.url)),
    )
    // TLS 1.3 finishes the handshake before the server checks; its refusal is an alert after the
    // request went out, which undici reports as the socket closing, not as the alert.
    expect(['TLS_FAILED', 'CONNECTION_RESET']).toContain(error.code)
  })

  it('presents a client certificate for mTLS', async () => {
    const server = await tlsServer({ requestCert: true, rejectUnauthorized: true, ca: certificates.clientCa })
    const response = await transport({
      proxy: false,
      tls: { ca: certificates.server.cert, cert: certificates.client.cert, key: certificates.client.key },
    }).send(get(server.url))
    expect(response.status).toBe(200)
  })

  it('accepts certificates given as Buffers', async () => {
    const server = await tlsServer({ requestCert: true, rejectUnauthorized: true, ca: certificates.clientCa })
    const response = await transport({
      proxy: false,
      tls: {
        ca: Buffer.from(certificates.server.cert),
        cert: Buffer.from(certificates.client.cert),
        key: Buffer.from(certificates.client.key),
      },
    }).send(get(server.url))
    expect(response.status).toBe(200)
  })

  it('rejects a client certificate without its key as a ConfigError on tls.key', () => {
    expect(() => createTransport({ tls: { cert: certificates.client.cert } })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: 'tls.key' }),
    )
  })
})

describe('createDispatcher: proxies', () => {
  const variables = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']
  const saved = new Map<string, string | undefined>()
  function setEnvironment(values: Record<string, string>): void {
    for (const name of variables) {
      saved.set(name, process.env[name])
      delete process.env[name]
    }
    Object.assign(process.env, values)
    cleanups.push(async () => {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    })
  }

  it('sends requests through the proxy URL it is given', async () => {
    const proxy = await serve(connectProxy())
    const server = await serve(httpServer(ok))
    const response = await transport({ proxy: proxy.url }).send(get(`${server.url}/via-proxy`))
    expect(response.body).toEqual({ ok: true })
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`])
  })

  it('tunnels HTTPS through the proxy and verifies the system with the configured ca', async () => {
    const proxy = await serve(connectProxy())
    const server = await serve(
      httpsServer({ cert: certificates.server.cert, key: certificates.server.key }, ok),
    )
    const response = await transport({ proxy: proxy.url, tls: { ca: certificates.server.cert } }).send(
      get(server.url),
    )
    expect(response.body).toEqual({ ok: true })
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`])
  })

  it('follows HTTP_PROXY from the environment by default', async () => {
    const proxy = await serve(connectProxy())
    const server = await serve(httpServer(ok))
    setEnvironment({ HTTP_PROXY: proxy.url })
    await transport({}).send(get(server.url))
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`])
  })

  it('bypasses the environment proxy for hosts listed in NO_PROXY', async () => {
    const proxy = await serve(connectProxy())
    const server = await serve(httpServer(ok))
    setEnvironment({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' })
    const response = await transport({}).send(get(server.url))
    expect(response.body).toEqual({ ok: true })
    expect(proxy.tunnels).toEqual([])
  })

  it('ignores the environment when proxy is false', async () => {
    const proxy = await serve(connectProxy())
    const server = await serve(httpServer(ok))
    setEnvironment({ HTTP_PROXY: proxy.url })
    await transport({ proxy: false }).send(get(server.url))
    expect(proxy.tunnels).toEqual([])
  })

  it('rejects a proxy that is not an http(s) URL as a ConfigError on proxy', () => {
    expect(() => createTransport({ proxy: 'socks5://127.0.0.1:1080' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: 'proxy' }),
    )
  })
})
