import { Connection } from 'jsforce'
import { afterEach, describe, expect, it } from 'vitest'
import { type SalesforceSimulator, salesforceSimulator } from './index.js'

// jsforce (3.9.5: the last 3.x whose engines allow Node 20; 3.10 needs Node 22) is a client nobody
// here wrote: it runs unchanged against the simulator served on a real loopback socket.
const opened: SalesforceSimulator[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((sim) => sim.close()))
})

async function loggedIn(records = 0) {
  const sim = salesforceSimulator({
    records: {
      Account: Array.from({ length: records }, (_, index) => ({ Name: `A${index}`, ExtId__c: `K-${index}` })),
    },
    fields: { Account: { ExtId__c: { externalId: true } } },
  })
  opened.push(sim)
  const { url } = await sim.listen()
  const conn = new Connection({
    oauth2: { clientId: 'junction-sim-client', clientSecret: 'junction-sim-secret', loginUrl: url },
    version: '62.0',
  })
  await conn.authorize({ grant_type: 'client_credentials' })
  return { sim, conn, url }
}

describe('jsforce against the simulator on loopback', () => {
  it('logs in through OAuth client credentials and learns the instance', async () => {
    const { conn, url } = await loggedIn()
    expect(conn.instanceUrl).toBe(url)
    expect(conn.accessToken).toMatch(/^00D\w{12}!/)
  })

  it('queries with autoFetch across every page', async () => {
    const { conn } = await loggedIn(4500)
    const result = await conn.query('SELECT Id, Name FROM Account ORDER BY Name', {
      autoFetch: true,
      maxFetch: 10_000,
    })
    expect(result.totalSize).toBe(4500)
    expect(result.records).toHaveLength(4500)
    expect(new Set(result.records.map((record) => record.Id)).size).toBe(4500)
  })

  it('creates, updates, upserts and deletes single records', async () => {
    const { sim, conn } = await loggedIn(1)
    const created = await conn.sobject('Account').create({ Name: 'jsforce' })
    expect(created).toMatchObject({ success: true })
    const id = String((created as { id: string }).id)

    await conn.sobject('Account').update({ Id: id, Name: 'renamed' })
    const inserted = await conn.sobject('Account').upsert({ Name: 'new', ExtId__c: 'K-new' }, 'ExtId__c')
    const updated = await conn.sobject('Account').upsert({ Name: 'changed', ExtId__c: 'K-0' }, 'ExtId__c')
    const deleted = await conn.sobject('Account').destroy(id)

    expect(inserted).toMatchObject({ success: true, created: true })
    expect(updated).toMatchObject({ success: true, created: false })
    expect(deleted).toMatchObject({ id, success: true })
    expect(
      sim.org
        .records('Account')
        .map((record) => record.Name)
        .sort(),
    ).toEqual(['changed', 'new'])
  })

  it('writes a collection in one call with a result per record', async () => {
    const { sim, conn } = await loggedIn()
    const results = await conn
      .sobject('Account')
      .create([{ Name: 'one' }, { Industry: 'no name' }, { Name: 'three' }])
    expect(results.map((result) => result.success)).toEqual([true, false, true])
    expect(sim.org.apiUsed).toBe(1)
  })

  it('renews an expired session through its refreshFn after a 401 INVALID_SESSION_ID', async () => {
    const { sim, conn, url } = await loggedIn(1)
    // Client credentials has no refresh token: jsforce's refreshFn re-runs the grant (sheet §1.7).
    const renewed = new Connection({
      instanceUrl: url,
      accessToken: conn.accessToken ?? '',
      version: '62.0',
      refreshFn: (_conn, callback) => {
        fetch(`${url}/services/oauth2/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: 'junction-sim-client',
            client_secret: 'junction-sim-secret',
          }),
        })
          .then((response) => response.json() as Promise<{ access_token: string }>)
          .then((body) => callback(null, body.access_token), callback)
      },
    })
    sim.org.expireSessions()
    const result = await renewed.query('SELECT Id FROM Account')
    expect(result.totalSize).toBe(1)
    expect(sim.oauth.requests).toBe(2)
  })
})
