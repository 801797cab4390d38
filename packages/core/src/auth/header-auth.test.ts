import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/error-kinds.js'
import { headerAuth } from './header-auth.js'
import { beneathAuth } from './loopback-server.fixture.js'

const request = {
  method: 'GET' as const,
  url: 'https://acme.service-now.com/api/now/table/incident',
  headers: {},
}

describe('headerAuth', () => {
  it('sends the configured header with every request', async () => {
    const auth = headerAuth({ type: 'header', name: 'x-sn-apikey', value: 'sn-key-0a1b2c' })
    const authorized = await auth.authorize(
      { ...request, headers: { accept: 'application/json' } },
      beneathAuth,
    )
    expect(authorized.headers).toEqual({ accept: 'application/json', 'x-sn-apikey': 'sn-key-0a1b2c' })
  })

  it('does not offer a replay after a 401', () => {
    expect(
      headerAuth({ type: 'header', name: 'x-sn-apikey', value: 'sn-key-0a1b2c' }).invalidate?.(request),
    ).toBe(false)
  })

  it('reports the header value as a secret', () => {
    expect([
      ...headerAuth({ type: 'header', name: 'x-sn-apikey', value: 'sn-key-0a1b2c' }).secrets(),
    ]).toEqual(['sn-key-0a1b2c'])
  })

  it('rejects a name that is not an HTTP header name with a ConfigError naming it', () => {
    expect(() => headerAuth({ type: 'header', name: 'x sn apikey', value: 'sn-key-0a1b2c' })).toThrow(
      expect.objectContaining({ option: 'name' }),
    )
  })

  it('rejects a value with a line break, which would inject a header', () => {
    const build = () => headerAuth({ type: 'header', name: 'x-sn-apikey', value: 'key\r\nx-admin: 1' })
    expect(build).toThrow(ConfigError)
    expect(build).toThrow(expect.objectContaining({ option: 'value' }))
  })
})
