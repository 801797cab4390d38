import { describe, expect, it } from 'vitest'
import { basicAuth } from './basic-auth.js'
import { beneathAuth } from './loopback-server.fixture.js'

const request = { method: 'GET' as const, url: 'https://erp.example.com/sap/opu/odata', headers: {} }
const encoded = Buffer.from('svc_user:pä55:word').toString('base64')

describe('basicAuth', () => {
  it('sends the username and password as HTTP Basic in UTF-8', async () => {
    const auth = basicAuth({ type: 'basic', username: 'svc_user', password: 'pä55:word' })
    const authorized = await auth.authorize(request, beneathAuth)
    expect(authorized.headers).toEqual({ authorization: `Basic ${encoded}` })
  })

  it('does not offer a replay after a 401', () => {
    expect(
      basicAuth({ type: 'basic', username: 'svc_user', password: 'pä55:word' }).invalidate?.(request),
    ).toBe(false)
  })

  it('reports the password and the encoded credentials as secrets', () => {
    const auth = basicAuth({ type: 'basic', username: 'svc_user', password: 'pä55:word' })
    expect([...auth.secrets()]).toEqual(['pä55:word', encoded])
  })

  it('rejects a username with a colon with a ConfigError naming it', () => {
    expect(() => basicAuth({ type: 'basic', username: 'svc:user', password: 'pä55:word' })).toThrow(
      expect.objectContaining({ option: 'username' }),
    )
  })
})
