import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http'
import { createServer as createTlsServer, type ServerOptions } from 'node:https'
import type { AddressInfo } from 'node:net'

/** A server listening on 127.0.0.1 with a free port. */
export interface LoopbackServer {
  /** e.g. `http://127.0.0.1:39123` (no trailing slash). */
  url: string
  port: number
  close(): Promise<void>
}

/** The request as a handler saw it, body read whole. */
export interface ReceivedRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: Buffer
}

/** Starts a plain HTTP server on 127.0.0.1. */
export function httpServer(handler: RequestListener): Promise<LoopbackServer> {
  return listen(createServer(handler), 'http')
}

/** Starts an HTTPS server on 127.0.0.1. */
export function httpsServer(options: ServerOptions, handler: RequestListener): Promise<LoopbackServer> {
  return listen(createTlsServer(options, handler), 'https')
}

/** An HTTP server that records each request and answers it with `respond`. */
export async function recordingServer(
  respond: (request: ReceivedRequest, response: ServerResponse) => void = (_, response) => response.end(),
): Promise<LoopbackServer & { received: ReceivedRequest[] }> {
  const received: ReceivedRequest[] = []
  const server = await httpServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const entry = {
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks),
    }
    received.push(entry)
    respond(entry, response)
  })
  return Object.assign(server, { received })
}

/** Listens on 127.0.0.1:0; `close` drops open (keep-alive or hanging) connections too. */
export function listen(server: Server, protocol: 'http' | 'https'): Promise<LoopbackServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `${protocol}://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}
