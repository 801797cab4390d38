import { afterEach, describe, expect, it } from 'vitest'
import { AuthError } from '../errors/error-kinds.js'
import { Redactor } from '../redaction/redactor.js'
import {
  beneathAuth,
  everythingIn,
  type LoopbackServer,
  type Route,
  rejectionOf,
  startLoopbackServer,
} from './loopback-server.fixture.js'
import { requestToken } from './token-request.js'

const SECRET = 'client-secret-7f3a9c2e'
let server: LoopbackServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

async function tokenServer(route: Route): Promise<LoopbackServer> {
  server = await startLoopbackServer({ '/oauth/token': route })
  return server
}

function send(url: string, auth: 'body' | 'basic' = 'body', secret = SECRET) {
  return requestToken(beneathAuth, {
    tokenUrl: `${url}/oauth/token`,
    form: { grant_type: 'client_credentials', scope: 'api', audience: undefined },
    client: { id: 'client-1', secret, auth },
    redactor: new Redactor(() => [secret]),
  })
}

describe('requestToken', () => {
  it('POSTs the grant and client credentials as a form, leaving out undefined fields', async () => {
    const { url, received } = await tokenServer(() => ({ json: { access_token: 'at-1' } }))
    await send(url)
    expect(received[0]?.method).toBe('POST')
    expect(received[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(received[0]?.form).toEqual({
      grant_type: 'client_credentials',
      scope: 'api',
      client_id: 'client-1',
      client_secret: SECRET,
    })
  })

  it('sends the client as HTTP Basic, form-urlencoded per RFC 6749, when asked', async () => {
    const { url, received } = await tokenServer(() => ({ json: { access_token: 'at-1' } }))
    await send(url, 'basic', 'se:cr et/+')
    const expected = Buffer.from('client-1:se%3Acr+et%2F%2B').toString('base64')
    expect(received[0]?.headers.authorization).toBe(`Basic ${expected}`)
    expect(received[0]?.form).toEqual({ grant_type: 'client_credentials', scope: 'api' })
  })

  it('returns the parsed token response', async () => {
    const { url } = await tokenServer(() => ({
      json: { access_token: 'at-1', expires_in: 1799, token_type: 'Bearer' },
    }))
    expect(await send(url)).toMatchObject({
      accessToken: 'at-1',
      expiresInSeconds: 1799,
      tokenType: 'Bearer',
    })
  })

  it('maps 400 invalid_grant to a TOKEN_REQUEST_FAILED that is not retryable and names the OAuth error', async () => {
    const { url } = await tokenServer(() => ({
      status: 400,
      json: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    }))
    const error = await rejectionOf(send(url))
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({
      code: 'TOKEN_REQUEST_FAILED',
      status: 400,
      systemCode: 'invalid_grant',
      retryable: false,
    })
    expect((error as Error).message).toContain('expired access/refresh token')
  })

  it('marks a 503 from the token endpoint retryable', async () => {
    const { url } = await tokenServer(() => ({ status: 503, json: { error: 'temporarily_unavailable' } }))
    expect(await rejectionOf(send(url))).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', retryable: true })
  })

  it("maps ServiceNow's 401 server_error to a TOKEN_REQUEST_FAILED that is not retryable", async () => {
    const { url } = await tokenServer(() => ({
      status: 401,
      json: { error_description: 'access_denied', error: 'server_error' },
    }))
    expect(await rejectionOf(send(url))).toMatchObject({
      code: 'TOKEN_REQUEST_FAILED',
      status: 401,
      systemCode: 'server_error',
      retryable: false,
    })
  })

  it('rejects a 200 answer without access_token', async () => {
    const { url } = await tokenServer(() => ({ json: { token_type: 'Bearer' } }))
    expect(await rejectionOf(send(url))).toMatchObject({ code: 'TOKEN_REQUEST_FAILED' })
  })

  it('maps an unreachable token endpoint to a TOKEN_REQUEST_FAILED', async () => {
    const { url } = await tokenServer(() => ({ json: {} }))
    await server?.close()
    server = undefined
    expect(await rejectionOf(send(url))).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', status: undefined })
  })

  it.each([400, 401, 500])(
    'keeps the client secret out of the error when a %i answer echoes it',
    async (status) => {
      const { url } = await tokenServer((request) => ({
        status,
        json: {
          error: 'invalid_client',
          error_description: `bad client_secret ${SECRET} in ${request.body}`,
        },
      }))
      const error = await rejectionOf(send(url))
      expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', systemCode: 'invalid_client' })
      expect(everythingIn(error)).not.toContain(SECRET)
    },
  )

  it('keeps the client secret out of the error when a text answer echoes it', async () => {
    const { url } = await tokenServer((request) => ({
      status: 500,
      text: `crash while handling ${request.body}`,
    }))
    expect(everythingIn(await rejectionOf(send(url)))).not.toContain(SECRET)
  })
})
