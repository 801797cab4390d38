import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/error-kinds.js'
import { beneathAuth, type LoopbackServer, startLoopbackServer } from './loopback-server.fixture.js'
import { passwordAuth } from './password-auth.js'

let server: LoopbackServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

const request = { method: 'GET' as const, url: 'http://127.0.0.1:1/api', headers: {} }

describe('passwordAuth', () => {
  it('sends grant_type=password with username, password and the client in the form', async () => {
    server = await startLoopbackServer({
      '/oauth_token.do': () => ({ json: { access_token: 'at-1', refresh_token: 'rt-1', expires_in: 1799 } }),
    })
    const auth = passwordAuth({
      type: 'oauth2-password',
      tokenUrl: `${server.url}/oauth_token.do`,
      clientId: 'client-1',
      clientSecret: 'pw-client-secret',
      username: 'integration',
      password: 'hunter2-long',
    })
    const authorized = await auth.authorize(request, beneathAuth)
    expect(server.received[0]?.form).toEqual({
      grant_type: 'password',
      username: 'integration',
      password: 'hunter2-long',
      client_id: 'client-1',
      client_secret: 'pw-client-secret',
    })
    expect(authorized.headers.authorization).toBe('Bearer at-1')
  })

  it('reports the password and the client secret as secrets', () => {
    const auth = passwordAuth({
      type: 'oauth2-password',
      tokenUrl: 'https://acme.service-now.com/oauth_token.do',
      clientId: 'client-1',
      clientSecret: 'pw-client-secret',
      username: 'integration',
      password: 'hunter2-long',
    })
    expect([...auth.secrets()]).toEqual(['hunter2-long', 'pw-client-secret'])
  })

  it('rejects a missing password with a ConfigError naming it', () => {
    const build = () =>
      passwordAuth({
        type: 'oauth2-password',
        tokenUrl: 'https://acme.service-now.com/oauth_token.do',
        clientId: 'client-1',
        username: 'integration',
      } as never)
    expect(build).toThrow(ConfigError)
    expect(build).toThrow(expect.objectContaining({ option: 'password' }))
  })
})
