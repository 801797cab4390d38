import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigError } from '../errors/error-kinds.js'
import { clientCredentialsAuth } from './client-credentials-auth.js'
import { beneathAuth, type LoopbackServer, startLoopbackServer } from './loopback-server.fixture.js'

const SECRET = 'cc-secret-91b2f0'
let server: LoopbackServer | undefined

afterEach(async () => {
  vi.useRealTimers()
  await server?.close()
  server = undefined
})

async function tokenEndpoint(): Promise<LoopbackServer> {
  let issued = 0
  server = await startLoopbackServer({
    '/oauth2/token': () => ({
      json: { access_token: `at-${++issued}`, expires_in: 3600, token_type: 'Bearer' },
    }),
  })
  return server
}

const request = { method: 'GET' as const, url: 'http://127.0.0.1:1/api', headers: {} }

describe('clientCredentialsAuth', () => {
  it('sends grant_type, scope, audience, extra params and the client in the form', async () => {
    const { url, received } = await tokenEndpoint()
    const auth = clientCredentialsAuth({
      type: 'oauth2-client-credentials',
      tokenUrl: `${url}/oauth2/token`,
      clientId: 'client-1',
      clientSecret: SECRET,
      scope: 'api refresh',
      audience: 'https://api.example.com',
      extraParams: { resource: 'crm', grant_type: 'ignored' },
    })
    await auth.authorize(request, beneathAuth)
    expect(received[0]?.form).toEqual({
      resource: 'crm',
      grant_type: 'client_credentials',
      scope: 'api refresh',
      audience: 'https://api.example.com',
      client_id: 'client-1',
      client_secret: SECRET,
    })
    expect(received[0]?.headers.authorization).toBeUndefined()
  })

  it('authenticates the client with HTTP Basic when clientAuth is basic', async () => {
    const { url, received } = await tokenEndpoint()
    const auth = clientCredentialsAuth({
      type: 'oauth2-client-credentials',
      tokenUrl: `${url}/oauth2/token`,
      clientId: 'client-1',
      clientSecret: SECRET,
      clientAuth: 'basic',
    })
    await auth.authorize(request, beneathAuth)
    expect(received[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from(`client-1:${SECRET}`).toString('base64')}`,
    )
    expect(received[0]?.form).toEqual({ grant_type: 'client_credentials' })
  })

  it('attaches the access token as a bearer token', async () => {
    const { url } = await tokenEndpoint()
    const auth = clientCredentialsAuth({
      type: 'oauth2-client-credentials',
      tokenUrl: `${url}/oauth2/token`,
      clientId: 'client-1',
      clientSecret: SECRET,
    })
    const authorized = await auth.authorize({ ...request, headers: { Authorization: 'old' } }, beneathAuth)
    expect(authorized.headers).toEqual({ authorization: 'Bearer at-1' })
  })

  it('runs the grant again once the token nears expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(0)
    const { url, count } = await tokenEndpoint()
    const auth = clientCredentialsAuth({
      type: 'oauth2-client-credentials',
      tokenUrl: `${url}/oauth2/token`,
      clientId: 'client-1',
      clientSecret: SECRET,
      refreshAheadMs: 10_000,
    })
    await auth.authorize(request, beneathAuth)
    vi.setSystemTime(3_590_000)
    const authorized = await auth.authorize(request, beneathAuth)
    expect(authorized.headers.authorization).toBe('Bearer at-2')
    expect(count('/oauth2/token')).toBe(2)
  })

  it('reports the client secret and the current token as secrets', async () => {
    const { url } = await tokenEndpoint()
    const auth = clientCredentialsAuth({
      type: 'oauth2-client-credentials',
      tokenUrl: `${url}/oauth2/token`,
      clientId: 'client-1',
      clientSecret: SECRET,
    })
    await auth.authorize(request, beneathAuth)
    expect([...auth.secrets()]).toEqual([SECRET, 'at-1'])
  })

  it('rejects a tokenUrl that is not an http(s) URL with a ConfigError naming it', () => {
    const build = () =>
      clientCredentialsAuth({
        type: 'oauth2-client-credentials',
        tokenUrl: 'ftp://example.com/token',
        clientId: 'client-1',
        clientSecret: SECRET,
      })
    expect(build).toThrow(ConfigError)
    expect(build).toThrow(expect.objectContaining({ option: 'tokenUrl' }))
  })
})
