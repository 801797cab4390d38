import { generateKeyPairSync } from 'node:crypto'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/error-kinds.js'
import { type JwtBearerAuthConfig, jwtBearerAuth } from './jwt-bearer-auth.js'
import {
  beneathAuth,
  everythingIn,
  type LoopbackServer,
  startLoopbackServer,
} from './loopback-server.fixture.js'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
let server: LoopbackServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

const request = { method: 'GET' as const, url: 'http://127.0.0.1:1/api', headers: {} }

function config(overrides: Partial<JwtBearerAuthConfig> = {}): JwtBearerAuthConfig {
  return {
    type: 'oauth2-jwt-bearer',
    tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
    clientId: '3MVG9-consumer-key',
    subject: 'integration@acme.com',
    audience: 'https://login.salesforce.com',
    privateKey: PEM,
    ...overrides,
  }
}

async function sentForm(overrides: Partial<JwtBearerAuthConfig> = {}): Promise<Record<string, string>> {
  server = await startLoopbackServer({
    '/services/oauth2/token': () => ({
      json: { access_token: 'at-1', instance_url: 'https://acme.my.salesforce.com' },
    }),
  })
  await jwtBearerAuth(config({ tokenUrl: `${server.url}/services/oauth2/token`, ...overrides })).authorize(
    request,
    beneathAuth,
  )
  return server.received[0]?.form ?? {}
}

function configErrorOf(build: () => unknown): ConfigError {
  try {
    build()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('jwtBearerAuth', () => {
  it('sends the jwt-bearer grant with an assertion and no client credentials', async () => {
    const form = await sentForm()
    expect(Object.keys(form).sort()).toEqual(['assertion', 'grant_type'])
    expect(form.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer')
  })

  it('signs an RS256 assertion that verifies with the public key and carries iss, sub, aud, exp, iat and jti', async () => {
    const form = await sentForm({ expiresInSeconds: 120 })
    const assertion = form.assertion ?? ''
    const { payload } = await jwtVerify(assertion, rsa.publicKey, {
      issuer: '3MVG9-consumer-key',
      subject: 'integration@acme.com',
      audience: 'https://login.salesforce.com',
    })
    expect(decodeProtectedHeader(assertion).alg).toBe('RS256')
    expect(typeof payload.jti).toBe('string')
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(120)
  })

  it('adds the client id and secret when a clientSecret is given (ServiceNow)', async () => {
    const form = await sentForm({ clientSecret: 'jwt-client-secret' })
    expect(form).toMatchObject({ client_id: '3MVG9-consumer-key', client_secret: 'jwt-client-secret' })
  })

  it('accepts the private key as a KeyObject', async () => {
    const form = await sentForm({ privateKey: rsa.privateKey })
    await expect(jwtVerify(form.assertion ?? '', rsa.publicKey)).resolves.toBeDefined()
  })

  it('signs with an EC key when the algorithm is ES256', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const form = await sentForm({ privateKey: ec.privateKey, algorithm: 'ES256' })
    await expect(jwtVerify(form.assertion ?? '', ec.publicKey)).resolves.toBeDefined()
  })

  it('rejects an unreadable private key with a ConfigError naming privateKey and not quoting it', () => {
    const garbled = PEM.replace(/[A-Za-z]{8}/, 'xxxxxxxx')
    const error = configErrorOf(() => jwtBearerAuth(config({ privateKey: garbled })))
    expect(error.option).toBe('privateKey')
    expect(everythingIn(error)).not.toContain(garbled.split('\n')[2] ?? 'unreachable')
  })

  it('rejects a public key given as the private key', () => {
    const publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(configErrorOf(() => jwtBearerAuth(config({ privateKey: publicPem }))).option).toBe('privateKey')
  })

  it('rejects a key that does not fit the algorithm', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    expect(configErrorOf(() => jwtBearerAuth(config({ privateKey: ec.privateKey }))).option).toBe(
      'privateKey',
    )
  })

  it('rejects an RSA key shorter than 2048 bits', () => {
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 })
    expect(configErrorOf(() => jwtBearerAuth(config({ privateKey: short.privateKey }))).option).toBe(
      'privateKey',
    )
  })

  it('reports the private key PEM as a secret', () => {
    expect([...jwtBearerAuth(config()).secrets()]).toContain(PEM)
  })
})
