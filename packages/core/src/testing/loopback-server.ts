import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RequestHandler } from 'msw'
import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { byteStream } from './byte-stream.js'
import { resolveResponse } from './resolve-response.js'

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65_535).optional(),
})

/** Options for {@link loopbackServer}. */
export interface LoopbackServerOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number | undefined
}

/** A running loopback server; `close()` also drops keep-alive connections, so tests end promptly. */
export interface LoopbackServer {
  /** e.g. `http://127.0.0.1:49152`, without a trailing slash. */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/**
 * Serves msw `handlers` from a real HTTP server on 127.0.0.1, for socket-level behaviour (timeouts,
 * resets, keep-alive) and demos. A response body that errors resets the connection mid-body; a request
 * no handler answers gets a 501 naming it.
 */
export async function loopbackServer(
  handlers: readonly RequestHandler[],
  options: LoopbackServerOptions = {},
): Promise<LoopbackServer> {
  const { port = 0 } = parseOptions(optionsSchema, options, 'loopbackServer')
  const server = createServer((incoming, outgoing) => {
    serve(handlers, incoming, outgoing).catch((error: unknown) => refuse(outgoing, error))
  })
  server.listen(port, '127.0.0.1')
  await once(server, 'listening')
  const bound = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close: async () => {
      const closed = once(server, 'close')
      server.close()
      server.closeAllConnections()
      await closed
    },
  }
}

async function serve(
  handlers: readonly RequestHandler[],
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  const disconnected = new AbortController()
  outgoing.on('close', () => {
    if (!outgoing.writableFinished) disconnected.abort(new Error('the client disconnected'))
  })
  const request = requestFromIncoming(incoming, disconnected.signal)
  const resolution = await resolveResponse(handlers, request)
  if (resolution.kind === 'network-error') {
    outgoing.socket?.destroy()
    return
  }
  if (resolution.kind === 'unhandled') {
    const { pathname } = new URL(request.url)
    outgoing.writeHead(501, { 'content-type': 'text/plain; charset=utf-8' })
    outgoing.end(`no msw handler answered ${request.method} ${pathname}\n`)
    return
  }
  await writeResponse(resolution.response, outgoing, request.method === 'HEAD')
}

/** A request the bridge could not even translate (e.g. a method Fetch forbids) gets a 400, not a hang. */
function refuse(outgoing: ServerResponse, error: unknown): void {
  if (outgoing.headersSent) {
    outgoing.socket?.destroy()
    return
  }
  outgoing.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
  outgoing.end(
    `the loopback server could not read this request: ${error instanceof Error ? error.message : 'unknown error'}\n`,
  )
}

function requestFromIncoming(incoming: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers()
  for (let index = 0; index < incoming.rawHeaders.length; index += 2) {
    headers.append(incoming.rawHeaders[index] ?? '', incoming.rawHeaders[index + 1] ?? '')
  }
  const method = incoming.method ?? 'GET'
  const host = incoming.headers.host ?? `127.0.0.1:${incoming.socket.localPort}`
  const bodyless = method === 'GET' || method === 'HEAD'
  return new Request(`http://${host}${incoming.url ?? '/'}`, {
    method,
    headers,
    signal,
    ...(bodyless ? {} : { body: byteStream(incoming), duplex: 'half' as const }),
  })
}

async function writeResponse(response: Response, outgoing: ServerResponse, head: boolean): Promise<void> {
  outgoing.statusCode = response.status
  outgoing.statusMessage = response.statusText || STATUS_CODES[response.status] || ''
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') outgoing.setHeader(name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) outgoing.setHeader('set-cookie', cookies)
  if (response.body === null || head) {
    response.body?.cancel().catch(() => {})
    outgoing.end()
    return
  }
  let flushed = Promise.resolve()
  try {
    for await (const chunk of response.body) {
      if (outgoing.destroyed) return
      flushed = new Promise((resolve) => outgoing.write(chunk, () => resolve()))
      if (outgoing.writableNeedDrain) await drainedOrClosed(outgoing)
    }
    outgoing.end()
  } catch {
    // Let what was sent reach the client, then drop the connection mid-body.
    await flushed
    outgoing.socket?.destroy()
  }
}

function drainedOrClosed(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      outgoing.off('drain', done)
      outgoing.off('close', done)
      resolve()
    }
    outgoing.on('drain', done)
    outgoing.on('close', done)
  })
}
