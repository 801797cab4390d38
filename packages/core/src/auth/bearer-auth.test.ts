import { describe, expect, it } from 'vitest'
import { bearerAuth } from './bearer-auth.js'
import { beneathAuth } from './loopback-server.fixture.js'

const request = { method: 'GET' as const, url: 'https://api.example.com/things', headers: {} }

describe('bearerAuth', () => {
  it('sends the token as a bearer token, replacing any authorization header', async () => {
    const auth = bearerAuth({ type: 'bearer', token: 'pat-5e6f7a8b' })
    const authorized = await auth.authorize(
      { ...request, headers: { AUTHORIZATION: 'Basic old' } },
      beneathAuth,
    )
    expect(authorized.headers).toEqual({ authorization: 'Bearer pat-5e6f7a8b' })
  })

  it('does not offer a replay after a 401', () => {
    expect(bearerAuth({ type: 'bearer', token: 'pat-5e6f7a8b' }).invalidate?.(request)).toBe(false)
  })

  it('reports the token as a secret', () => {
    expect([...bearerAuth({ type: 'bearer', token: 'pat-5e6f7a8b' }).secrets()]).toEqual(['pat-5e6f7a8b'])
  })

  it('rejects an empty token with a ConfigError naming it', () => {
    expect(() => bearerAuth({ type: 'bearer', token: '' })).toThrow(
      expect.objectContaining({ option: 'token' }),
    )
  })
})
