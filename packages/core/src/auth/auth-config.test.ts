import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/error-kinds.js'
import { type AuthConfig, authConfigSchema, createAuthProvider } from './auth-config.js'

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString()
const tokenUrl = 'https://acme.my.salesforce.com/services/oauth2/token'

const valid: AuthConfig[] = [
  { type: 'header', name: 'x-sn-apikey', value: 'sn-key-1234' },
  { type: 'bearer', token: 'pat-1234' },
  { type: 'basic', username: 'svc', password: 'pw-1234' },
  { type: 'oauth2-client-credentials', tokenUrl, clientId: 'c', clientSecret: 'cs-1234' },
  { type: 'oauth2-refresh-token', tokenUrl, clientId: 'c', refreshToken: 'rt-1234' },
  {
    type: 'oauth2-jwt-bearer',
    tokenUrl,
    clientId: 'c',
    subject: 'u@acme.com',
    audience: 'https://login.salesforce.com',
    privateKey: PEM,
  },
  { type: 'oauth2-password', tokenUrl, clientId: 'c', username: 'u', password: 'pw-1234' },
]

function configErrorOf(input: unknown): ConfigError {
  try {
    createAuthProvider(input as AuthConfig)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('createAuthProvider', () => {
  it.each(valid.map((config) => [config.type, config] as const))('builds a %s provider', (type, config) => {
    expect(createAuthProvider(config).type).toBe(type)
  })

  it('defaults refreshAheadMs to 60 s, defaultTokenLifetimeMs to 15 min and clientAuth to body', () => {
    const parsed = authConfigSchema.parse({
      type: 'oauth2-client-credentials',
      tokenUrl,
      clientId: 'c',
      clientSecret: 's',
    })
    expect(parsed).toMatchObject({
      refreshAheadMs: 60_000,
      defaultTokenLifetimeMs: 900_000,
      clientAuth: 'body',
    })
  })

  it('names tokenUrl when it is missing', () => {
    expect(
      configErrorOf({ type: 'oauth2-client-credentials', clientId: 'c', clientSecret: 's' }).option,
    ).toBe('tokenUrl')
  })

  it('names tokenUrl when it is not a URL', () => {
    expect(
      configErrorOf({
        type: 'oauth2-client-credentials',
        tokenUrl: 'login.salesforce.com',
        clientId: 'c',
        clientSecret: 's',
      }).option,
    ).toBe('tokenUrl')
  })

  it('names type when it is unknown', () => {
    expect(configErrorOf({ type: 'kerberos' }).option).toBe('type')
  })

  it('names onToken when it is not a function', () => {
    expect(
      configErrorOf({
        type: 'oauth2-client-credentials',
        tokenUrl,
        clientId: 'c',
        clientSecret: 's',
        onToken: 'log',
      }).option,
    ).toBe('onToken')
  })

  it('names onRefreshTokenRotated when it is not a function', () => {
    expect(
      configErrorOf({
        type: 'oauth2-refresh-token',
        tokenUrl,
        clientId: 'c',
        refreshToken: 'rt-1234',
        onRefreshTokenRotated: {},
      }).option,
    ).toBe('onRefreshTokenRotated')
  })

  it('names refreshAheadMs when it is negative', () => {
    expect(
      configErrorOf({
        type: 'oauth2-client-credentials',
        tokenUrl,
        clientId: 'c',
        clientSecret: 's',
        refreshAheadMs: -1,
      }).option,
    ).toBe('refreshAheadMs')
  })

  it('names clientAuth when it is neither body nor basic', () => {
    expect(
      configErrorOf({
        type: 'oauth2-client-credentials',
        tokenUrl,
        clientId: 'c',
        clientSecret: 's',
        clientAuth: 'jwt',
      }).option,
    ).toBe('clientAuth')
  })

  it('does not quote the secrets of a config it rejects', () => {
    const error = configErrorOf({
      type: 'oauth2-password',
      tokenUrl: 'not a url',
      clientId: 'c',
      clientSecret: 'cs-do-not-show',
      username: 'u',
      password: 12345678,
    })
    const text = `${error.message}${error.stack}${JSON.stringify(error.toJSON())}`
    expect(text).not.toContain('cs-do-not-show')
    expect(text).not.toContain('12345678')
  })
})
