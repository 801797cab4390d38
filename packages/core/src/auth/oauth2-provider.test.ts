import { afterEach, describe, expect, it } from 'vitest'
import type { JunctionRequest } from '../pipeline/request.js'
import { beneathAuth, type LoopbackServer, startLoopbackServer } from './loopback-server.fixture.js'
import { OAuth2Provider } from './oauth2-provider.js'
import { requestToken } from './token-request.js'

let server: LoopbackServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

const request: JunctionRequest = { method: 'GET', url: 'http://127.0.0.1:1/api', headers: {} }

async function provider(): Promise<OAuth2Provider> {
  let issued = 0
  server = await startLoopbackServer({
    '/token': () => ({
      json: {
        access_token: `at+${++issued}`,
        instance_url: 'https://acme.my.salesforce.com',
        token_type: 'Bearer',
      },
    }),
  })
  const url = server.url
  return new OAuth2Provider({
    type: 'oauth2-test',
    refreshAheadMs: 60_000,
    defaultTokenLifetimeMs: 900_000,
    grant: (context, redactor) =>
      requestToken(context, {
        tokenUrl: `${url}/token`,
        form: { grant_type: 'client_credentials' },
        redactor,
      }),
    secrets: () => ['grant-secret'],
  })
}

describe('OAuth2Provider', () => {
  it('offers a replay after a 401 and renews the refused token', async () => {
    const auth = await provider()
    const refused = await auth.authorize(request, beneathAuth)
    expect(auth.invalidate(refused)).toBe(true)
    expect((await auth.authorize(request, beneathAuth)).headers.authorization).toBe('Bearer at+2')
  })

  it('exposes the instance URL of the last token response', async () => {
    const auth = await provider()
    expect(auth.tokenInfo()).toBeUndefined()
    await auth.authorize(request, beneathAuth)
    expect(auth.tokenInfo()?.instanceUrl).toBe('https://acme.my.salesforce.com')
  })

  it('reports its secrets and tokens, also form-encoded', async () => {
    const auth = await provider()
    await auth.authorize(request, beneathAuth)
    expect([...auth.secrets()]).toEqual(['grant-secret', 'at+1', 'at%2B1'])
  })
})
