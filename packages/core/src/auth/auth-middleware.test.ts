import { generateKeyPairSync } from 'node:crypto'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthError } from '../errors/error-kinds.js'
import { httpErrors } from '../pipeline/http-errors.js'
import { MiddlewareStack } from '../pipeline/middleware-stack.js'
import type { Handler, JunctionRequest } from '../pipeline/request.js'
import { pipelineContext } from '../testing/pipeline-context.js'
import { createTransport } from '../transport/transport.js'
import { type AuthConfig, createAuthProvider } from './auth-config.js'
import { authMiddleware } from './auth-middleware.js'
import type { AuthProvider } from './auth-provider.js'
import { basicAuth } from './basic-auth.js'
import { clientCredentialsAuth } from './client-credentials-auth.js'
import {
  everythingIn,
  type LoopbackServer,
  pipelineFor,
  type Route,
  rejectionOf,
  startLoopbackServer,
} from './loopback-server.fixture.js'

let server: LoopbackServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

/**
 * A token endpoint issuing `access-token-1`, `-2`, … and an API that answers 401 for a refused token
 * (by default none is refused) or whatever `api` says.
 */
async function system(
  options: { refused?: (token: string) => boolean; api?: Route; tokenRoute?: Route } = {},
) {
  let issued = 0
  const refused = options.refused ?? (() => false)
  server = await startLoopbackServer({
    '/token':
      options.tokenRoute ??
      (() => ({ json: { access_token: `access-token-${++issued}`, expires_in: 3600 } })),
    '/api':
      options.api ??
      ((received) => {
        const token = received.headers.authorization?.replace(/^Bearer /, '') ?? ''
        return refused(token)
          ? {
              status: 401,
              json: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
            }
          : { json: { token } }
      }),
  })
  return server
}

function oauth(url: string): AuthProvider {
  return clientCredentialsAuth({
    type: 'oauth2-client-credentials',
    tokenUrl: `${url}/token`,
    clientId: 'client-1',
    clientSecret: 'mw-client-secret-4d5e6f',
  })
}

function get(url: string): JunctionRequest {
  return { method: 'GET', url: `${url}/api`, headers: {} }
}

describe('authMiddleware', () => {
  it('sends the request with credentials attached', async () => {
    const { url } = await system()
    const response = await pipelineFor(oauth(url))(get(url))
    expect(response.body).toEqual({ token: 'access-token-1' })
  })

  it('answers a 401 with exactly one renewal and one replay', async () => {
    const { url, count } = await system({ refused: (token) => token === 'access-token-1' })
    const response = await pipelineFor(oauth(url))(get(url))
    expect(response.body).toEqual({ token: 'access-token-2' })
    expect(count('/token')).toBe(2)
    expect(count('/api')).toBe(2)
  })

  it('throws SESSION_EXPIRED after a second 401, with no more than two calls to the API', async () => {
    const { url, count } = await system({ refused: () => true })
    const error = await rejectionOf(pipelineFor(oauth(url))(get(url)))
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ code: 'SESSION_EXPIRED', status: 401 })
    expect(count('/api')).toBe(2)
    expect(count('/token')).toBe(2)
  })

  it('drops a token refused twice, so the next call starts with a fresh one', async () => {
    const { url } = await system({ refused: (token) => token !== 'access-token-3' })
    const send = pipelineFor(oauth(url))
    await rejectionOf(send(get(url)))
    expect((await send(get(url))).body).toEqual({ token: 'access-token-3' })
  })

  it('renews once when 50 concurrent requests are refused with the same stale token', async () => {
    const revoked = new Set<string>()
    const { url, count } = await system({ refused: (token) => revoked.has(token) })
    const send = pipelineFor(oauth(url))
    await send(get(url))
    revoked.add('access-token-1')
    const responses = await Promise.all(Array.from({ length: 50 }, () => send(get(url))))
    expect(count('/token')).toBe(2)
    expect(count('/api')).toBe(101)
    expect(new Set(responses.map((response) => (response.body as { token: string }).token))).toEqual(
      new Set(['access-token-2']),
    )
  })

  it('reports fixed credentials a system refuses as AUTH_FAILED, without a replay', async () => {
    const { url, count } = await system({
      api: () => ({ status: 401, json: { error: { message: 'User Not Authenticated' } } }),
    })
    const provider = basicAuth({ type: 'basic', username: 'svc', password: 'basic-password-1a2b' })
    const error = await rejectionOf(pipelineFor(provider)(get(url)))
    expect(error).toMatchObject({ code: 'AUTH_FAILED', status: 401 })
    expect(count('/api')).toBe(1)
  })

  it('does not replay a request whose stream body the first attempt consumed', async () => {
    const { url, count } = await system({ refused: () => true })
    const request: JunctionRequest = {
      method: 'POST',
      url: `${url}/api`,
      headers: {},
      body: { type: 'raw', value: Readable.from([Buffer.from('a,b\n1,2\n')]), contentType: 'text/csv' },
    }
    await rejectionOf(pipelineFor(oauth(url))(request))
    expect(count('/api')).toBe(1)
  })

  it('drops a token refused on an unreplayable request, so the next call renews it', async () => {
    const { url, count } = await system({ refused: (token) => token === 'access-token-1' })
    const pipeline = pipelineFor(oauth(url))
    const upload: JunctionRequest = {
      method: 'POST',
      url: `${url}/api`,
      headers: {},
      body: { type: 'raw', value: Readable.from([Buffer.from('a,b\n')]), contentType: 'text/csv' },
    }
    await rejectionOf(pipeline(upload))
    await pipeline(get(url))
    expect(count('/token')).toBe(2)
    // The follow-up call goes out once, with the renewed token: no second refusal and replay.
    expect(count('/api')).toBe(2)
  })

  it('replays once on a SESSION_EXPIRED an adapter mapped from another status', async () => {
    const { url, count } = await system({
      api: (received) =>
        received.headers.authorization === 'Bearer access-token-1'
          ? { status: 403, json: [{ errorCode: 'INVALID_SESSION_ID' }] }
          : { json: { ok: true } },
    })
    const provider = oauth(url)
    const transport = createTransport()
    const send: Handler = new MiddlewareStack()
      .add('auth', authMiddleware(provider))
      .add(
        'errors',
        httpErrors((response, request) =>
          response.status === 403
            ? new AuthError({
                code: 'SESSION_EXPIRED',
                message: 'session invalid',
                status: 403,
                path: new URL(request.url).pathname,
              })
            : undefined,
        ),
      )
      .resolve(transport.send, pipelineContext())
    expect((await send(get(url))).body).toEqual({ ok: true })
    expect(count('/api')).toBe(2)
    await transport.close()
  })

  it('does not replay a 401 an adapter mapped to AUTH_FAILED', async () => {
    const { url, count } = await system({ refused: () => true })
    const transport = createTransport()
    const send: Handler = new MiddlewareStack()
      .add('auth', authMiddleware(oauth(url)))
      .add(
        'errors',
        httpErrors(
          (response) =>
            new AuthError({
              code: 'AUTH_FAILED',
              message: 'not valid for the REST API',
              status: response.status,
            }),
        ),
      )
      .resolve(transport.send, pipelineContext())
    expect(await rejectionOf(send(get(url)))).toMatchObject({ code: 'AUTH_FAILED', status: 401 })
    expect(count('/api')).toBe(1)
    await transport.close()
  })

  it('passes other failures through without renewing', async () => {
    const { url, count } = await system({ api: () => ({ status: 500, json: { message: 'boom' } }) })
    const error = await rejectionOf(pipelineFor(oauth(url))(get(url)))
    expect(error).toMatchObject({ code: 'SERVER_ERROR', status: 500 })
    expect(count('/api')).toBe(1)
    expect(count('/token')).toBe(1)
  })

  it('fails with TOKEN_REQUEST_FAILED, not a replay, when the token endpoint answers 401', async () => {
    const { url, count } = await system({
      tokenRoute: () => ({
        status: 401,
        json: { error_description: 'access_denied', error: 'server_error' },
      }),
    })
    const error = await rejectionOf(pipelineFor(oauth(url))(get(url)))
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', status: 401, retryable: false })
    expect(count('/token')).toBe(1)
    expect(count('/api')).toBe(0)
  })
})

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString()
const CLIENT_SECRET = 'cs+Secret/With=Chars-8c1d'
const PASSWORD = 'pw-Hunter2-9f8e7d'
const REFRESH_TOKEN = 'rt-5Aep861-refresh-2b3c'
const API_KEY = 'sn-apikey-6a7b8c9d'

const configs: Record<string, (url: string) => AuthConfig> = {
  'client credentials': (url) => ({
    type: 'oauth2-client-credentials',
    tokenUrl: `${url}/token`,
    clientId: 'client-1',
    clientSecret: CLIENT_SECRET,
  }),
  'client credentials with Basic client auth': (url) => ({
    type: 'oauth2-client-credentials',
    tokenUrl: `${url}/token`,
    clientId: 'client-1',
    clientSecret: CLIENT_SECRET,
    clientAuth: 'basic',
  }),
  password: (url) => ({
    type: 'oauth2-password',
    tokenUrl: `${url}/token`,
    clientId: 'client-1',
    clientSecret: CLIENT_SECRET,
    username: 'integration',
    password: PASSWORD,
  }),
  'refresh token': (url) => ({
    type: 'oauth2-refresh-token',
    tokenUrl: `${url}/token`,
    clientId: 'client-1',
    clientSecret: CLIENT_SECRET,
    refreshToken: REFRESH_TOKEN,
  }),
  'JWT bearer': (url) => ({
    type: 'oauth2-jwt-bearer',
    tokenUrl: `${url}/token`,
    clientId: 'client-1',
    subject: 'integration@acme.com',
    audience: 'https://login.salesforce.com',
    privateKey: PEM,
  }),
}

const staticConfigs: Record<string, AuthConfig> = {
  basic: { type: 'basic', username: 'svc', password: PASSWORD },
  header: { type: 'header', name: 'x-sn-apikey', value: API_KEY },
  bearer: { type: 'bearer', token: API_KEY },
}

/** Every secret a run could expose: configured ones, what the server saw, and what it issued. */
function secretsSeen(received: LoopbackServer['received'], issued: string[]): string[] {
  const fromRequests = received.flatMap((request) => [
    request.form.assertion ?? '',
    // A long echo is cut short in the snippet, so the assertion's claims segment is checked on its own.
    request.form.assertion?.split('.')[1] ?? '',
    request.headers.authorization?.replace(/^\w+ /, '') ?? '',
    request.headers['x-sn-apikey']?.toString() ?? '',
  ])
  const pemLines = PEM.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----'))
  return [
    CLIENT_SECRET,
    encodeURIComponent(CLIENT_SECRET),
    PASSWORD,
    REFRESH_TOKEN,
    API_KEY,
    PEM,
    ...pemLines,
  ]
    .concat(fromRequests, issued)
    .filter((secret) => secret.length > 0)
}

function leaked(error: unknown, secrets: string[]): string[] {
  const text = everythingIn(error)
  return secrets.filter((secret) => text.includes(secret))
}

// The worst token endpoint: it quotes the whole request back, body and headers.
const echoing =
  (status: number, asText = false): Route =>
  (received) => {
    const echo = `rejected ${received.body} with ${received.headers.authorization ?? 'no header'}`
    return asText
      ? { status, text: echo }
      : { status, json: { error: 'invalid_client', error_description: echo } }
  }

describe('authMiddleware keeps secrets out of errors', () => {
  for (const [name, config] of Object.entries(configs)) {
    for (const status of [400, 401, 500]) {
      it(`leaks nothing when the ${name} token endpoint answers ${status} quoting the request`, async () => {
        const { url, received } = await system({ tokenRoute: echoing(status) })
        const error = await rejectionOf(pipelineFor(createAuthProvider(config(url)))(get(url)))
        expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED' })
        expect(leaked(error, secretsSeen(received, []))).toEqual([])
      })
    }

    it(`leaks nothing when the ${name} token endpoint answers 500 with the request as text`, async () => {
      const { url, received } = await system({ tokenRoute: echoing(500, true) })
      const error = await rejectionOf(pipelineFor(createAuthProvider(config(url)))(get(url)))
      expect(leaked(error, secretsSeen(received, []))).toEqual([])
    })

    it(`leaks nothing when the API refuses the ${name} token twice and quotes it`, async () => {
      const issued: string[] = []
      const { url, received } = await system({
        tokenRoute: () => {
          issued.push(`00D5g000000XyZE!AQ8AQH-access-${issued.length + 1}`)
          return {
            json: { access_token: issued.at(-1), refresh_token: `${REFRESH_TOKEN}-next-${issued.length}` },
          }
        },
        api: (request) => ({
          status: 401,
          json: [
            { message: `Session ${request.headers.authorization} expired`, errorCode: 'INVALID_SESSION_ID' },
          ],
        }),
      })
      const error = await rejectionOf(pipelineFor(createAuthProvider(config(url)))(get(url)))
      expect(error).toMatchObject({ code: 'SESSION_EXPIRED' })
      const rotated = issued.map((_, index) => `${REFRESH_TOKEN}-next-${index + 1}`)
      expect(leaked(error, [...secretsSeen(received, issued), ...rotated])).toEqual([])
    })
  }

  it('leaks nothing when a refresh token is refused as invalid_grant and quoted', async () => {
    const { url, received } = await system({
      tokenRoute: (request) => ({
        status: 400,
        json: {
          error: 'invalid_grant',
          error_description: `refresh token ${request.form.refresh_token} expired`,
        },
      }),
    })
    const config = configs['refresh token']?.(url) as AuthConfig
    const error = await rejectionOf(pipelineFor(createAuthProvider(config))(get(url)))
    expect(error).toMatchObject({
      code: 'TOKEN_REQUEST_FAILED',
      systemCode: 'invalid_grant',
      retryable: false,
    })
    expect(leaked(error, secretsSeen(received, []))).toEqual([])
  })

  for (const [name, config] of Object.entries(staticConfigs)) {
    it(`leaks nothing when the API refuses ${name} credentials and quotes them`, async () => {
      const { url, received } = await system({
        api: (request) => ({
          status: 401,
          json: {
            error: { message: `bad ${request.headers.authorization ?? request.headers['x-sn-apikey']}` },
          },
        }),
      })
      const error = await rejectionOf(pipelineFor(createAuthProvider(config))(get(url)))
      expect(error).toMatchObject({ code: 'AUTH_FAILED' })
      expect(leaked(error, secretsSeen(received, []))).toEqual([])
    })
  }
})
