import { generateKeyPairSync } from 'node:crypto'
import { AuthError, type Connector } from '@junction/core'
import { afterEach, describe, expect, it } from 'vitest'
import { type SalesforceOptions, salesforce } from './index.js'
import {
  type SalesforceSimulator,
  type SalesforceSimulatorOptions,
  salesforceSimulator,
} from './testing/index.js'

const opened: Array<Connector | SalesforceSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()

function setUp(simOptions: SalesforceSimulatorOptions, auth: SalesforceOptions['auth']) {
  const sim = salesforceSimulator({ records: { Account: [{ Name: 'Acme' }] }, ...simOptions })
  const crm = salesforce({ auth, dispatcher: sim.dispatcher })
  opened.push(crm, sim)
  const id = String(sim.org.records('Account')[0]?.Id)
  return { sim, crm, id }
}

const jwtAuth = (key = pem) =>
  ({
    type: 'oauth2-jwt-bearer',
    clientId: 'junction-sim-client',
    subject: 'integration@junction.test',
    audience: 'https://login.salesforce.com',
    privateKey: key,
  }) as const

describe('salesforce auth grants', () => {
  it('logs in with a JWT bearer assertion the org verifies against the uploaded certificate', async () => {
    const { crm, id } = setUp({ jwtPublicKey: publicKey }, jwtAuth())
    expect(await crm.get('Account', id)).toMatchObject({ Name: 'Acme' })
  })

  it('refuses an assertion signed with another key as invalid_grant', async () => {
    const { crm, id } = setUp(
      { jwtPublicKey: publicKey },
      jwtAuth(other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    )
    const error = await crm.get('Account', id).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', systemCode: 'invalid_grant' })
  })

  it('refuses an assertion that has expired by the org clock', async () => {
    const { crm, id } = setUp(
      { jwtPublicKey: publicKey, now: () => new Date(Date.now() + 10 * 60_000) },
      jwtAuth(),
    )
    const error = await crm.get('Account', id).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', systemCode: 'invalid_grant' })
    expect(String((error as Error).message)).not.toContain(pem.slice(40, 80))
  })

  it('hands a rotated refresh token to the callback and uses it for the next renewal', async () => {
    const rotated: string[] = []
    const { sim, crm, id } = setUp(
      { rotateRefreshTokens: true },
      {
        type: 'oauth2-refresh-token',
        clientId: 'junction-sim-client',
        clientSecret: 'junction-sim-secret',
        refreshToken: 'junction-sim-refresh',
        onRefreshTokenRotated: (token) => {
          rotated.push(token)
        },
      },
    )
    await crm.get('Account', id)
    sim.org.expireSessions()
    expect(await crm.get('Account', id)).toMatchObject({ Name: 'Acme' })

    expect(rotated).toHaveLength(2)
    expect(sim.oauth.honours('junction-sim-refresh')).toBe(false)
    expect(sim.oauth.honours(rotated[0] as string)).toBe(false)
    expect(sim.oauth.honours(rotated[1] as string)).toBe(true)
  })

  it('logs in with the legacy username-password grant', async () => {
    const { crm, id } = setUp(
      {},
      {
        type: 'oauth2-password',
        clientId: 'junction-sim-client',
        clientSecret: 'junction-sim-secret',
        username: 'integration@junction.test',
        password: 'junction-sim-password',
      },
    )
    expect(await crm.get('Account', id)).toMatchObject({ Name: 'Acme' })
  })

  it('renews an expired session once for many concurrent calls, and replays each', async () => {
    const { sim, crm, id } = setUp({}, salesforceSimulator().auth)
    await crm.get('Account', id)
    const before = sim.oauth.requests
    sim.org.expireSessions()

    const records = await Promise.all(Array.from({ length: 20 }, () => crm.get('Account', id)))

    expect(records.every((record) => record?.Name === 'Acme')).toBe(true)
    expect(sim.oauth.requests - before).toBe(1)
  })

  it('treats a session past the org timeout as expired and renews it', async () => {
    let now = Date.now()
    const { sim, crm, id } = setUp(
      { sessionTimeoutMs: 60_000, now: () => new Date(now) },
      salesforceSimulator().auth,
    )
    await crm.get('Account', id)
    now += 61_000
    expect(await crm.get('Account', id)).toMatchObject({ Name: 'Acme' })
    expect(sim.oauth.requests).toBe(2)
  })

  it('does not renew on a 401 that says the session is not valid for the REST API', async () => {
    const { sim, crm, id } = setUp({}, salesforceSimulator().auth)
    await crm.get('Account', id)
    sim.faults.next({
      status: 401,
      body: [
        { message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' },
      ],
    })
    const error = await crm.get('Account', id).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'AUTH_FAILED', systemCode: 'INVALID_SESSION_ID' })
    expect(sim.oauth.requests).toBe(1)
  })

  it('sends client credentials to the My Domain host named as loginUrl', async () => {
    const sim = salesforceSimulator({ records: { Account: [{ Name: 'Acme' }] } })
    const hosts: string[] = []
    const dispatcher = sim.dispatcher.compose((dispatch) => (options, handler) => {
      hosts.push(`${String(options.origin)}${options.path}`)
      return dispatch(options, handler)
    })
    const crm = salesforce({ loginUrl: 'https://acme.my.salesforce.com', auth: sim.auth, dispatcher })
    opened.push(crm, sim)
    await crm.count('Account')
    expect(hosts[0]).toBe('https://acme.my.salesforce.com/services/oauth2/token')
  })
})
