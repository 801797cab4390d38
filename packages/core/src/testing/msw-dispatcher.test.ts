import { Readable } from 'node:stream'
import { HttpResponse, http, passthrough } from 'msw'
import { Agent, type Dispatcher, request, FormData as UndiciFormData, fetch as undiciFetch } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, TransportError } from '../errors/error-kinds.js'
import { loopbackServer } from './loopback-server.js'
import { type MswDispatcher, mswDispatcher } from './msw-dispatcher.js'
import { BIG_BYTES, bigBodyDigest, bridgeHandlers, type Echo } from './test-support/bridge-handlers.js'
import { digestBody, FAKE_ORIGIN, readUntilFailure, rejection } from './test-support/client-modes.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

function dispatcher(...args: Parameters<typeof mswDispatcher>): MswDispatcher {
  const created = mswDispatcher(...args)
  cleanups.push(() => created.destroy())
  return created
}

/** A promise and the function that resolves it. */
function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {}
  const promise = new Promise<T>((settle) => {
    resolve = settle
  })
  return { promise, resolve }
}

async function echo(options: Omit<Dispatcher.RequestOptions, 'origin'>): Promise<Echo> {
  const response = await dispatcher(bridgeHandlers()).request({ origin: FAKE_ORIGIN, ...options })
  return (await response.body.json()) as Echo
}

describe('mswDispatcher: requests', () => {
  it('reads headers given as a record with repeated values', async () => {
    const seen = await echo({ path: '/echo', method: 'GET', headers: { 'x-one': '1', 'x-many': ['a', 'b'] } })
    expect(seen.headers).toMatchObject({ 'x-one': '1', 'x-many': 'a, b' })
  })

  it('reads headers given as a flat name, value array', async () => {
    const seen = await echo({ path: '/echo', method: 'GET', headers: ['x-one', '1', 'x-two', '2'] })
    expect(seen.headers).toMatchObject({ 'x-one': '1', 'x-two': '2' })
  })

  it('reads headers given as an iterable of pairs', async () => {
    const headers = new Map<string, string | string[]>([
      ['x-one', '1'],
      ['x-many', ['a', 'b']],
    ])
    const seen = await echo({ path: '/echo', method: 'GET', headers })
    expect(seen.headers).toMatchObject({ 'x-one': '1', 'x-many': 'a, b' })
  })

  it("serializes undici's query option into the URL", async () => {
    const seen = await echo({ path: '/echo', method: 'GET', query: { q: 'a b', tag: ['x', 'y'] } })
    expect(seen.query).toEqual([
      ['q', 'a b'],
      ['tag', 'x'],
      ['tag', 'y'],
    ])
  })

  it('carries a Buffer body', async () => {
    const seen = await echo({ path: '/echo', method: 'POST', body: Buffer.from([0, 1, 254, 255]) })
    expect(Buffer.from(seen.bodyBase64, 'base64')).toEqual(Buffer.from([0, 1, 254, 255]))
  })

  it('carries a Readable body', async () => {
    const seen = await echo({ path: '/echo', method: 'POST', body: Readable.from([Buffer.from('ab'), 'cd']) })
    expect(seen.bodyText).toBe('abcd')
  })

  it("carries undici's own FormData as multipart", async () => {
    const form = new UndiciFormData()
    form.append('name', 'Ada')
    form.append('cv', new Blob(['hello'], { type: 'text/plain' }), 'cv.txt')
    const response = await dispatcher(bridgeHandlers()).request({
      origin: FAKE_ORIGIN,
      path: '/upload',
      method: 'POST',
      body: form,
    })
    expect(await response.body.json()).toEqual({
      name: 'Ada',
      cv: { file: 'cv.txt', type: 'text/plain', text: 'hello' },
    })
  })

  it('sends no body with a GET', async () => {
    const seen = await echo({ path: '/echo', method: 'GET', body: 'ignored' })
    expect(seen.bodyText).toBe('')
  })

  it('fills in the standard status text when a handler gives none', async () => {
    const response = await dispatcher([
      http.get('*/gone', () => HttpResponse.json({}, { status: 404 })),
    ]).request({
      origin: FAKE_ORIGIN,
      path: '/gone',
      method: 'GET',
    })
    expect(response.statusText).toBe('Not Found')
    await response.body.dump()
  })

  it('rejects a body type undici cannot send', async () => {
    const error = await rejection(
      dispatcher(bridgeHandlers()).request({
        origin: FAKE_ORIGIN,
        path: '/echo',
        method: 'POST',
        body: 42 as unknown as string,
      }),
    )
    expect(error).toMatchObject({ code: 'UND_ERR_INVALID_ARG' })
  })
})

describe('mswDispatcher: unhandled requests', () => {
  it('fails with a CONNECTION_FAILED TransportError naming the method and URL, not the query', async () => {
    const error = await rejection(
      request(`${FAKE_ORIGIN}/nothing?token=secret`, { dispatcher: dispatcher([]) }),
    )
    expect(error).toBeInstanceOf(TransportError)
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', method: 'GET', path: '/nothing' })
    expect((error as Error).message).toContain(`GET ${FAKE_ORIGIN}/nothing`)
    expect((error as Error).message).not.toContain('secret')
  })

  it('treats a passthrough() answer as unhandled', async () => {
    const handlers = [http.get('*/pass', () => passthrough())]
    const error = await rejection(request(`${FAKE_ORIGIN}/pass`, { dispatcher: dispatcher(handlers) }))
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED' })
  })

  it('forwards what no handler answers to onUnhandledRequest, streamed body included', async () => {
    const real = await loopbackServer(bridgeHandlers())
    const agent = new Agent()
    cleanups.push(async () => {
      await agent.close()
      await real.close()
    })
    const local = [http.get('*/local', () => HttpResponse.text('in-process'))]
    const bridge = dispatcher(local, { onUnhandledRequest: agent })
    const answered = await request(`${real.url}/local`, { dispatcher: bridge })
    const forwarded = await request(`${real.url}/echo`, {
      dispatcher: bridge,
      method: 'POST',
      body: Readable.from(['streamed ', 'upload']),
    })
    expect(await answered.body.text()).toBe('in-process')
    expect(await forwarded.body.json()).toMatchObject({ method: 'POST', bodyText: 'streamed upload' })
  })
})

describe('mswDispatcher: responses', () => {
  it('streams a 5 MB body through a slow reader with backpressure', async () => {
    const response = await request(`${FAKE_ORIGIN}/big`, {
      dispatcher: dispatcher(bridgeHandlers()),
      highWaterMark: 1024,
    })
    expect(await digestBody(response.body)).toEqual({ bytes: BIG_BYTES, sha256: bigBodyDigest() })
  })

  it('reports a body stream that errors as a dropped connection after the data before it', async () => {
    const handlers = [
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
    ]
    const response = await request(`${FAKE_ORIGIN}/flaky`, { dispatcher: dispatcher(handlers) })
    const { received, error } = await readUntilFailure(response.body)
    expect(received).toBe(12)
    expect(error).toMatchObject({ code: 'UND_ERR_SOCKET' })
  })

  it('fires the headers timeout of the dispatch over the dispatcher default', async () => {
    const handlers = [http.get('*/never', () => new Promise<never>(() => {}))]
    const error = await rejection(
      request(`${FAKE_ORIGIN}/never`, { dispatcher: dispatcher(handlers), headersTimeout: 30 }),
    )
    expect(error).toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' })
  })

  it('fires the body timeout when the body stalls', async () => {
    const handlers = [
      http.get('*/stall', () => {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('partial'))
          },
        })
        return new HttpResponse(body)
      }),
    ]
    const response = await request(`${FAKE_ORIGIN}/stall`, {
      dispatcher: dispatcher(handlers, { bodyTimeout: 30 }),
    })
    const { error } = await readUntilFailure(response.body)
    expect(error).toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' })
  })

  it('aborts a pending request and tells the handler through its signal', async () => {
    const handlerSawAbort = signal()
    const handlers = [
      http.get('*/slow', ({ request: incoming }) => {
        incoming.signal.addEventListener('abort', () => handlerSawAbort.resolve())
        return new Promise<never>(() => {})
      }),
    ]
    const controller = new AbortController()
    const pending = request(`${FAKE_ORIGIN}/slow`, {
      dispatcher: dispatcher(handlers),
      signal: controller.signal,
    })
    setTimeout(() => controller.abort(), 10)
    expect(await rejection(pending)).toMatchObject({ name: 'AbortError' })
    await handlerSawAbort.promise
  })

  it('stops reading the body when the caller aborts mid-body', async () => {
    const cancelled = signal<unknown>()
    const handlers = [
      http.get('*/endless', () => {
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(new Uint8Array(1024))
          },
          cancel(reason) {
            cancelled.resolve(reason)
          },
        })
        return new HttpResponse(body)
      }),
    ]
    const controller = new AbortController()
    const response = await request(`${FAKE_ORIGIN}/endless`, {
      dispatcher: dispatcher(handlers),
      signal: controller.signal,
    })
    let received = 0
    const reading = readUntilFailure(
      (async function* () {
        for await (const chunk of response.body) {
          received += chunk.byteLength
          if (received >= 8 * 1024) controller.abort()
          yield chunk
        }
      })(),
    )
    expect((await reading).error).toMatchObject({ name: 'AbortError' })
    await cancelled.promise
  })
})

describe('mswDispatcher: the handler API', () => {
  it('drives a new-style handler and honours its pause and resume', async () => {
    const bridge = dispatcher(bridgeHandlers())
    const events: string[] = []
    let received = 0
    let pausedController: Dispatcher.DispatchController | undefined
    const finished = signal()
    bridge.dispatch(
      { origin: FAKE_ORIGIN, path: '/big', method: 'GET' },
      {
        onRequestStart: () => events.push('start'),
        onResponseStart: (_controller, statusCode) => events.push(`status ${statusCode}`),
        onResponseData: (controller, chunk) => {
          received += chunk.byteLength
          if (pausedController === undefined) {
            pausedController = controller
            controller.pause()
          }
        },
        onResponseEnd: () => {
          events.push('end')
          finished.resolve()
        },
        onResponseError: (_controller, error) => events.push(`error ${error.message}`),
      },
    )
    await new Promise((resolve) => setTimeout(resolve, 20))
    const whilePaused = received
    pausedController?.resume()
    await finished.promise
    expect(whilePaused).toBe(64 * 1024)
    expect(received).toBe(BIG_BYTES)
    expect(events).toEqual(['start', 'status 200', 'end'])
  })

  it('stops a new-style handler that aborts through its controller', async () => {
    const events: string[] = []
    const failed = signal()
    dispatcher(bridgeHandlers()).dispatch(
      { origin: FAKE_ORIGIN, path: '/big', method: 'GET' },
      {
        onResponseStart: (controller) => {
          events.push('status')
          controller.abort(new Error('not interested'))
        },
        onResponseData: () => events.push('data'),
        onResponseEnd: () => events.push('end'),
        onResponseError: (_controller, error) => {
          events.push(`error: ${error.message}`)
          failed.resolve()
        },
      },
    )
    await failed.promise
    expect(events).toEqual(['status', 'error: not interested'])
  })

  it("serves Node's global fetch when given as its dispatcher", async () => {
    const init = { method: 'POST', body: 'hello', dispatcher: dispatcher(bridgeHandlers()) }
    // Node types fetch's `dispatcher` with its bundled undici's classes, not undici 7's.
    const response = await fetch(`${FAKE_ORIGIN}/echo`, init as unknown as RequestInit)
    expect(await response.json()).toMatchObject({ method: 'POST', bodyText: 'hello' })
  })

  it("serves undici's own fetch when given as its dispatcher", async () => {
    const response = await undiciFetch(`${FAKE_ORIGIN}/cookies`, { dispatcher: dispatcher(bridgeHandlers()) })
    expect(response.headers.getSetCookie()).toEqual(['sid=abc; Path=/; HttpOnly', 'theme=dark; Path=/'])
    expect(await response.text()).toBe('made')
  })

  it('works behind a composed interceptor', async () => {
    const composed = dispatcher(bridgeHandlers()).compose(
      (dispatch) => (options, handler) =>
        dispatch(
          { ...options, headers: { ...(options.headers as object), 'x-intercepted': 'yes' } },
          handler,
        ),
    )
    const response = await request(`${FAKE_ORIGIN}/echo`, { dispatcher: composed })
    expect(((await response.body.json()) as Echo).headers['x-intercepted']).toBe('yes')
  })
})

describe('mswDispatcher: close and destroy', () => {
  it('lets requests in flight finish on close(), then refuses new ones', async () => {
    const release = signal()
    const handlers = [
      http.get('*/wait', async () => {
        await release.promise
        return HttpResponse.text('done')
      }),
    ]
    const bridge = mswDispatcher(handlers)
    const inFlight = request(`${FAKE_ORIGIN}/wait`, { dispatcher: bridge })
    const closed = bridge.close()
    release.resolve()
    expect(await (await inFlight).body.text()).toBe('done')
    await closed
    expect(await rejection(request(`${FAKE_ORIGIN}/wait`, { dispatcher: bridge }))).toMatchObject({
      code: 'UND_ERR_CLOSED',
    })
  })

  it('fails requests in flight on destroy(), then refuses new ones', async () => {
    const handlers = [http.get('*/never', () => new Promise<never>(() => {}))]
    const bridge = mswDispatcher(handlers)
    const inFlight = request(`${FAKE_ORIGIN}/never`, { dispatcher: bridge })
    await bridge.destroy()
    expect(await rejection(inFlight)).toMatchObject({ code: 'UND_ERR_DESTROYED' })
    expect(await rejection(request(`${FAKE_ORIGIN}/never`, { dispatcher: bridge }))).toMatchObject({
      code: 'UND_ERR_DESTROYED',
    })
  })

  it('fails requests in flight with the error given to destroy()', async () => {
    const handlers = [http.get('*/never', () => new Promise<never>(() => {}))]
    const bridge = mswDispatcher(handlers)
    const inFlight = request(`${FAKE_ORIGIN}/never`, { dispatcher: bridge })
    const reason = new Error('shutting down')
    await bridge.destroy(reason)
    expect(await rejection(inFlight)).toBe(reason)
  })

  it('calls back from close() and destroy() when given a callback', async () => {
    const bridge = mswDispatcher([])
    const closed = signal()
    const destroyed = signal()
    bridge.close(() => closed.resolve())
    bridge.destroy(null, () => destroyed.resolve())
    await Promise.all([closed.promise, destroyed.promise])
  })
})

describe('mswDispatcher: options', () => {
  it('names an invalid option', () => {
    expect(() => mswDispatcher([], { headersTimeout: -1 })).toThrow(
      expect.objectContaining({ option: 'headersTimeout' }),
    )
    expect(() => mswDispatcher([], { headersTimeout: -1 })).toThrow(ConfigError)
  })
})
