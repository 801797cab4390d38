import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import { httpErrors } from '../pipeline/http-errors.js'
import { MiddlewareStack } from '../pipeline/middleware-stack.js'
import type { Handler } from '../pipeline/request.js'
import { pipelineContext } from '../testing/pipeline-context.js'
import { createTransport } from '../transport/transport.js'
import { authMiddleware } from './auth-middleware.js'
import type { AuthContext, AuthProvider } from './auth-provider.js'

/** A request the loopback server received, form body decoded. */
export interface ReceivedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
  form: Record<string, string>
}

/** What a route answers: a status and a JSON body (or text). */
export interface Reply {
  status?: number
  json?: unknown
  text?: string
}

/** Answers one request to a path. */
export type Route = (request: ReceivedRequest) => Reply | Promise<Reply>

/** A real HTTP server on 127.0.0.1 with a record of what it received. */
export interface LoopbackServer {
  url: string
  received: ReceivedRequest[]
  /** How many requests reached `path`. */
  count(path: string): number
  close(): Promise<void>
}

/** Starts a loopback server answering `routes` by path (404 elsewhere). */
export async function startLoopbackServer(routes: Record<string, Route>): Promise<LoopbackServer> {
  const received: ReceivedRequest[] = []
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    const request: ReceivedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body,
      form: Object.fromEntries(new URLSearchParams(body)),
    }
    received.push(request)
    const route = routes[path]
    const reply: Reply = route ? await route(request) : { status: 404, json: { error: 'no route' } }
    const text = reply.text ?? JSON.stringify(reply.json ?? {})
    res.writeHead(reply.status ?? 200, {
      'content-type': reply.text === undefined ? 'application/json' : 'text/plain',
    })
    res.end(text)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    count: (path) => received.filter((request) => request.path === path).length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

const transport = createTransport()

/** The pipeline beneath auth (errors + the real transport), as a provider's `context.send`. */
export const beneathAuth: AuthContext = {
  send: httpErrors()(transport.send, pipelineContext()),
}

/** The connector pipeline (auth → errors → real transport) around `provider`. */
export function pipelineFor(provider: AuthProvider): Handler {
  return new MiddlewareStack()
    .add('auth', authMiddleware(provider))
    .add('errors', httpErrors())
    .resolve(transport.send, pipelineContext())
}

/** Everything an error could show a log or a caller: inspect output, JSON, stacks, the cause chain. */
export function everythingIn(error: unknown): string {
  const parts = [inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true })]
  let current: unknown = error
  while (current instanceof Error) {
    parts.push(current.message, current.stack ?? '')
    const json = (current as { toJSON?: () => unknown }).toJSON?.()
    if (json !== undefined) parts.push(JSON.stringify(json))
    current = current.cause
  }
  return parts.join('\n')
}

/** The rejection of `promise`, failing if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}
