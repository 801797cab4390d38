import type { Change, Connector } from '@junction/core'
import { afterEach, describe, expect, it } from 'vitest'
import { salesforce } from './index.js'
import { type SalesforceSimulator, salesforceSimulator } from './testing/index.js'

const opened: Array<Connector | SalesforceSimulator> = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()))
})

// A clock the test moves: Salesforce timestamps have whole seconds, so records written in the same
// second share a SystemModstamp and only the Id orders them.
function setUp() {
  let now = Date.parse('2026-01-10T09:00:00Z')
  const sim = salesforceSimulator({ now: () => new Date(now) })
  const crm = salesforce({ auth: sim.auth, dispatcher: sim.dispatcher })
  opened.push(crm, sim)
  return { sim, crm, advance: (ms: number) => (now += ms) }
}

async function collect(iterable: AsyncIterable<Change>): Promise<Change[]> {
  const changes: Change[] = []
  for await (const change of iterable) changes.push(change)
  return changes
}

describe('salesforce changes', () => {
  it('reads changes oldest first, ties on SystemModstamp broken by Id', async () => {
    const { crm } = setUp()
    const created = await crm.create('Account', [{ Name: 'b' }, { Name: 'a' }, { Name: 'c' }])
    const changes = await collect(crm.changes('Account'))
    expect(changes.map((change) => change.id)).toEqual(created.map((result) => result.id).sort())
    expect(changes.every((change) => change.kind === 'upsert')).toBe(true)
  })

  it('resumes from a saved cursor without repeating or skipping records that share a timestamp', async () => {
    const { crm, advance } = setUp()
    await crm.create('Account', [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }])
    const first = await collect(crm.changes('Account'))
    const checkpoint = first[1]?.cursor as string

    advance(1000)
    await crm.create('Account', [{ Name: 'd' }])
    const resumed = await collect(crm.changes('Account', { cursor: checkpoint }))

    expect(resumed.map((change) => change.record?.Name)).toEqual([first[2]?.record?.Name, 'd'])
  })

  it('reports soft deletes read through queryAll as delete changes', async () => {
    const { crm, advance } = setUp()
    const [created] = await crm.create('Account', [{ Name: 'gone' }])
    const [start] = await collect(crm.changes('Account'))
    advance(2000)
    await crm.delete('Account', [String(created?.id)])
    const changes = await collect(crm.changes('Account', { cursor: start?.cursor }))
    expect(changes).toEqual([expect.objectContaining({ kind: 'delete', id: created?.id, record: undefined })])
  })

  it('starts at a point in time', async () => {
    const { crm, advance } = setUp()
    await crm.create('Account', [{ Name: 'old' }])
    advance(60_000)
    const since = new Date(Date.parse('2026-01-10T09:01:00Z'))
    await crm.create('Account', [{ Name: 'new' }])
    const changes = await collect(crm.changes('Account', { since }))
    expect(changes.map((change) => change.record?.Name)).toEqual(['new'])
    expect(changes[0]?.changedAt).toEqual(since)
  })

  it('refuses a cursor it did not write', async () => {
    const { crm } = setUp()
    await expect(collect(crm.changes('Account', { cursor: 'bm90IGEgY3Vyc29y' }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })

  it('polls /updated and /deleted for a window', async () => {
    const { crm, advance } = setUp()
    const start = new Date(Date.parse('2026-01-10T08:59:00Z'))
    const [kept, removed] = await crm.create('Account', [{ Name: 'kept' }, { Name: 'removed' }])
    advance(5 * 60_000)
    await crm.delete('Account', [String(removed?.id)])
    const end = new Date(Date.parse('2026-01-10T09:10:00Z'))

    const updated = await crm.updated('Account', start, end)
    const deleted = await crm.deleted('Account', start, end)

    expect(updated.ids).toEqual([kept?.id])
    expect(deleted.deleted.map((entry) => entry.id)).toEqual([removed?.id])
    expect(deleted.deleted[0]?.deletedAt).toEqual(new Date('2026-01-10T09:05:00Z'))
  })
})
