import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import type { RequestHandler } from 'msw'
import { setupServer } from 'msw/node'
import { Agent, type Dispatcher, request } from 'undici'
import { byteStream } from '../byte-stream.js'
import { loopbackServer } from '../loopback-server.js'
import { mswDispatcher } from '../msw-dispatcher.js'

/** The origin in-process and setupServer modes call: nothing listens there. */
export const FAKE_ORIGIN = 'https://sim.junction.test'

/** A request as the tests write it, whichever client sends it. */
export interface SendInit {
  method?: string
  headers?: Record<string, string>
  body?: string | Uint8Array | AsyncIterable<Uint8Array> | FormData
  signal?: AbortSignal
  /** undici's headers timeout; the fetch mode turns it into an abort after that long. */
  headersTimeout?: number
}

/** A response as the tests read it. */
export interface SentResponse {
  status: number
  statusText: string
  headers: Record<string, string | string[] | undefined>
  body: AsyncIterable<Uint8Array>
}

/** One way of reaching the same handlers. */
export interface ClientMode {
  readonly name: string
  /** Whether the client is undici (whose errors carry undici codes) rather than fetch. */
  readonly undici: boolean
  send(path: string, init?: SendInit): Promise<SentResponse>
  close(): Promise<void>
}

/** How each mode is started over a handler list. */
export interface ModeFactory {
  readonly name: string
  start(handlers: readonly RequestHandler[]): Promise<ClientMode>
}

/** undici `request()` through the in-process msw dispatcher. */
export const inProcess: ModeFactory = {
  name: 'in-process dispatcher',
  async start(handlers) {
    const dispatcher = mswDispatcher(handlers)
    return undiciMode('in-process dispatcher', FAKE_ORIGIN, dispatcher, () => dispatcher.destroy())
  },
}

/** undici `request()` over a real socket to the loopback server. */
export const loopback: ModeFactory = {
  name: 'loopback server',
  async start(handlers) {
    const server = await loopbackServer(handlers)
    const agent = new Agent()
    return undiciMode('loopback server', server.url, agent, async () => {
      await agent.destroy()
      await server.close()
    })
  },
}

/** msw's own `setupServer` with the global `fetch`: the handlers must work there unchanged. */
export const mswServer: ModeFactory = {
  name: 'msw setupServer + fetch',
  async start(handlers) {
    const server = setupServer(...handlers)
    server.listen({ onUnhandledRequest: 'error' })
    return {
      name: 'msw setupServer + fetch',
      undici: false,
      async send(path, init = {}) {
        const body = init.body
        const streamed = isAsyncIterable(body)
        const timeout =
          init.headersTimeout === undefined ? undefined : AbortSignal.timeout(init.headersTimeout)
        const signals = [init.signal, timeout].filter((signal) => signal !== undefined)
        const response = await fetch(`${FAKE_ORIGIN}${path}`, {
          method: init.method ?? 'GET',
          headers: init.headers,
          body: isAsyncIterable(body) ? byteStream(body) : body,
          redirect: 'manual',
          ...(streamed ? { duplex: 'half' as const } : {}),
          ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
        })
        const headers: Record<string, string | string[]> = {}
        response.headers.forEach((value, name) => {
          headers[name] = value
        })
        const cookies = response.headers.getSetCookie()
        if (cookies.length > 0) headers['set-cookie'] = cookies
        return {
          status: response.status,
          statusText: response.statusText,
          headers,
          body: response.body ?? emptyBody(),
        }
      },
      async close() {
        server.close()
      },
    }
  },
}

/** The three modes every bridge test runs in. */
export const ALL_MODES: readonly ModeFactory[] = [inProcess, loopback, mswServer]

/** The two modes Junction's transport uses (undici with a dispatcher). */
export const UNDICI_MODES: readonly ModeFactory[] = [inProcess, loopback]

function undiciMode(
  name: string,
  origin: string,
  dispatcher: Dispatcher,
  close: () => Promise<void>,
): ClientMode {
  return {
    name,
    undici: true,
    async send(path, init = {}) {
      const { body, contentType } = undiciBody(init.body)
      const response = await request(`${origin}${path}`, {
        dispatcher,
        method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: contentType === undefined ? init.headers : { ...init.headers, 'content-type': contentType },
        body,
        signal: init.signal,
        headersTimeout: init.headersTimeout,
      })
      return {
        status: response.statusCode,
        statusText: response.statusText,
        headers: response.headers,
        body: response.body,
      }
    },
    close,
  }
}

/**
 * A test body as undici's `request()` takes it. undici 7 only encodes its own FormData class, so a
 * global one goes as the multipart bytes Node's fetch makes of it (as Junction's transport does).
 */
function undiciBody(body: SendInit['body']): {
  body: string | Uint8Array | Readable | undefined
  contentType?: string
} {
  if (body instanceof FormData) {
    const encoded = new Response(body)
    return {
      body: encoded.body === null ? undefined : Readable.from(encoded.body),
      contentType: encoded.headers.get('content-type') ?? undefined,
    }
  }
  return { body: isAsyncIterable(body) ? Readable.from(body) : body }
}

/** The whole body as bytes. */
export async function readBytes(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of body) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks)
}

/** The whole body as UTF-8 text. */
export async function readText(body: AsyncIterable<Uint8Array>): Promise<string> {
  return (await readBytes(body)).toString('utf8')
}

/** The whole body parsed as JSON. */
export async function readJson<T>(body: AsyncIterable<Uint8Array>): Promise<T> {
  return JSON.parse(await readText(body)) as T
}

/** Reads the body until it fails: the bytes that arrived first, and the error (undefined if none). */
export async function readUntilFailure(
  body: AsyncIterable<Uint8Array>,
): Promise<{ received: number; error: unknown }> {
  let received = 0
  try {
    for await (const chunk of body) received += chunk.byteLength
  } catch (error) {
    return { received, error }
  }
  return { received, error: undefined }
}

/** SHA-256 of a body and its length, streamed so a 5 MB body is never held whole. */
export async function digestBody(
  body: AsyncIterable<Uint8Array>,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of body) {
    hash.update(chunk)
    bytes += chunk.byteLength
  }
  return { bytes, sha256: hash.digest('hex') }
}

/** Rejection of `promise`, or a failure if it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error,
  )
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}
