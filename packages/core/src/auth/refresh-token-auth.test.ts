import { afterEach, describe, expect, it } from 'vitest'
import type { JunctionRequest } from '../pipeline/request.js'
import {
  beneathAuth,
  everythingIn,
  type LoopbackServer,
  pipelineFor,
  type Route,
  rejectionOf,
  startLoopbackServer,
} from './loopback-server.fixture.js'
import { refreshTokenAuth } from './refresh-token-auth.js'

let server: LoopbackServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

const request: JunctionRequest = { method: 'GET', url: 'http://127.0.0.1:1/api', headers: {} }

/** A token endpoint that rotates the refresh token on every use and refuses a rotated-out one. */
function rotatingEndpoint(first: string): Route {
  let valid = first
  let issued = 0
  return (received) => {
    if (received.form.refresh_token !== valid) {
      return {
        status: 400,
        json: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
      }
    }
    issued++
    valid = `rt-rotated-${issued}`
    return { json: { access_token: `at-${issued}`, refresh_token: valid, expires_in: 3600 } }
  }
}

function authFor(url: string, onRefreshTokenRotated?: (token: string) => void | Promise<void>) {
  return refreshTokenAuth({
    type: 'oauth2-refresh-token',
    tokenUrl: `${url}/token`,
    clientId: 'client-1',
    clientSecret: 'rt-client-secret',
    refreshToken: 'rt-original',
    onRefreshTokenRotated,
  })
}

describe('refreshTokenAuth', () => {
  it('sends grant_type=refresh_token with the refresh token and the client in the form', async () => {
    server = await startLoopbackServer({ '/token': () => ({ json: { access_token: 'at-1' } }) })
    await authFor(server.url).authorize(request, beneathAuth)
    expect(server.received[0]?.form).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-original',
      client_id: 'client-1',
      client_secret: 'rt-client-secret',
    })
  })

  it('hands a rotated refresh token to onRefreshTokenRotated', async () => {
    server = await startLoopbackServer({ '/token': rotatingEndpoint('rt-original') })
    const rotated: string[] = []
    await authFor(server.url, (token) => {
      rotated.push(token)
    }).authorize(request, beneathAuth)
    expect(rotated).toEqual(['rt-rotated-1'])
  })

  it('uses the rotated refresh token for the next renewal', async () => {
    server = await startLoopbackServer({ '/token': rotatingEndpoint('rt-original') })
    const auth = authFor(server.url)
    const first = await auth.authorize(request, beneathAuth)
    auth.invalidate(first)
    const second = await auth.authorize(request, beneathAuth)
    expect(second.headers.authorization).toBe('Bearer at-2')
    expect(server.received.map((received) => received.form.refresh_token)).toEqual([
      'rt-original',
      'rt-rotated-1',
    ])
  })

  it('finishes onRefreshTokenRotated before the new access token reaches the API', async () => {
    const events: string[] = []
    server = await startLoopbackServer({
      '/token': rotatingEndpoint('rt-original'),
      '/api': () => {
        events.push('api call')
        return { json: {} }
      },
    })
    const auth = authFor(server.url, async (token) => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      events.push(`persisted ${token}`)
    })
    await pipelineFor(auth)({ method: 'GET', url: `${server.url}/api`, headers: {} })
    expect(events).toEqual(['persisted rt-rotated-1', 'api call'])
  })

  it('never sends a rotated-out refresh token, however many renewals are asked for at once', async () => {
    server = await startLoopbackServer({ '/token': rotatingEndpoint('rt-original') })
    const auth = authFor(server.url)
    for (let round = 0; round < 3; round++) {
      const authorized = await Promise.all(
        Array.from({ length: 20 }, () => auth.authorize(request, beneathAuth)),
      )
      for (const each of authorized) auth.invalidate(each)
    }
    expect(server.received.map((received) => received.form.refresh_token)).toEqual([
      'rt-original',
      'rt-rotated-1',
      'rt-rotated-2',
    ])
  })

  it('does not use the new access token when onRefreshTokenRotated fails, and offers the next one again', async () => {
    server = await startLoopbackServer({ '/token': rotatingEndpoint('rt-original') })
    const offered: string[] = []
    const auth = authFor(server.url, (token) => {
      offered.push(token)
      if (offered.length === 1) throw new Error(`store is down, lost ${token}`)
    })
    const error = await rejectionOf(auth.authorize(request, beneathAuth))
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', retryable: true })
    expect(everythingIn(error)).not.toContain('rt-rotated-1')
    const authorized = await auth.authorize(request, beneathAuth)
    expect(authorized.headers.authorization).toBe('Bearer at-2')
    expect(offered).toEqual(['rt-rotated-1', 'rt-rotated-2'])
  })

  it('fails with a TOKEN_REQUEST_FAILED that is not retryable when the refresh token is refused', async () => {
    server = await startLoopbackServer({ '/token': rotatingEndpoint('rt-something-else') })
    const error = await rejectionOf(authFor(server.url).authorize(request, beneathAuth))
    expect(error).toMatchObject({
      code: 'TOKEN_REQUEST_FAILED',
      systemCode: 'invalid_grant',
      retryable: false,
    })
  })

  it('reports the current and rotated-out refresh tokens and the client secret as secrets', async () => {
    server = await startLoopbackServer({ '/token': rotatingEndpoint('rt-original') })
    const auth = authFor(server.url)
    await auth.authorize(request, beneathAuth)
    expect([...auth.secrets()]).toEqual(['rt-rotated-1', 'rt-original', 'rt-client-secret', 'at-1'])
  })
})
