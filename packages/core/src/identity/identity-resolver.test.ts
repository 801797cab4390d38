import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditEvent } from '../audit/audit-event.js'
import type { AuditSink } from '../audit/audit-sink.js'
import { memoryAudit } from '../audit/memory-audit.js'
import { JunctionError } from '../errors/junction-error.js'
import { requireService } from '../testing/require-service.js'
import { type IdentityChangeResult, identityResolver } from './identity-resolver.js'
import type { IdentityStore } from './identity-store.js'
import { memoryIdentityStore } from './memory-identity-store.js'
import { redisIdentityStore } from './redis-identity-store.js'

const redis = await requireService('redis')

const crm = (id: string) => ({ system: 'crm', id })
const erp = (id: string) => ({ system: 'erp', id })
const itsm = (id: string) => ({ system: 'itsm', id })

const eventIdOf = (result: IdentityChangeResult): string => {
  if (!result.ok) throw new Error(`expected the change to apply: ${JSON.stringify(result.conflicts)}`)
  return result.eventId
}

function resolverSuite(driver: string, openStore: () => IdentityStore) {
  describe(`identityResolver on the ${driver} store`, () => {
    const setup = () => {
      const store = openStore()
      const audit = memoryAudit()
      return { store, audit, identity: identityResolver({ store, audit, tenant: 'acme' }) }
    }

    it('links records and records an identity audit event', async () => {
      const { identity, audit } = setup()
      const result = await identity.link('cust-1', [crm('001A'), erp('1000123')], { reason: 'onboarding' })
      expect(result).toMatchObject({ ok: true, operation: 'link' })
      expect((await identity.resolve(erp('1000123')))?.ids).toEqual({ crm: '001A', erp: '1000123' })
      expect(audit.events).toEqual([
        expect.objectContaining({
          id: eventIdOf(result),
          kind: 'identity',
          operation: 'identity.link',
          tenant: 'acme',
          outcome: 'success',
          recordIds: ['cust-1'],
          actor: { type: 'service', id: 'junction-identity' },
          input: { canonicalId: 'cust-1', refs: [crm('001A'), erp('1000123')], reason: 'onboarding' },
        }),
      ])
    })

    it('reports a conflicting link with both claimants, audits it as a failure and keeps the first link', async () => {
      const { identity, audit } = setup()
      await identity.link('cust-1', crm('001A'))
      const result = await identity.link('cust-2', crm('001A'))
      expect(result).toMatchObject({
        ok: false,
        conflicts: [{ ref: crm('001A'), heldBy: 'cust-1', claimedBy: 'cust-2' }],
      })
      expect((await identity.resolve(crm('001A')))?.canonicalId).toBe('cust-1')
      expect(audit.events[1]).toMatchObject({ outcome: 'failure', errorCode: 'CONFLICT' })
    })

    it('merges one entity into another and audits the moved links', async () => {
      const { identity, audit } = setup()
      await identity.link('cust-1', [crm('001A'), erp('1')])
      await identity.link('cust-2', [crm('001B'), itsm('x')])
      const result = await identity.merge('cust-1', 'cust-2', { actor: { type: 'user', id: 'steward-7' } })
      expect(result).toMatchObject({ ok: true, operation: 'merge' })
      expect(await identity.idsOf('cust-2')).toEqual([])
      expect((await identity.resolve(itsm('x')))?.canonicalId).toBe('cust-1')
      expect(audit.events.at(-1)).toMatchObject({
        operation: 'identity.merge',
        actor: { type: 'user', id: 'steward-7' },
        recordIds: ['cust-2', 'cust-1'],
        output: {
          changes: [
            { ref: crm('001B'), from: 'cust-2', to: 'cust-1' },
            { ref: itsm('x'), from: 'cust-2', to: 'cust-1' },
          ],
        },
      })
    })

    it('undoes a merge, restoring every link, and audits the undo', async () => {
      const { identity, audit } = setup()
      await identity.link('cust-1', [crm('001A'), erp('1')])
      await identity.link('cust-2', [crm('001B'), itsm('x')])
      const merge = eventIdOf(await identity.merge('cust-1', 'cust-2'))
      const undo = await identity.undo(merge)
      expect(undo).toMatchObject({ ok: true, operation: 'undo' })
      expect(await identity.idsOf('cust-1')).toEqual([crm('001A'), erp('1')])
      expect(await identity.idsOf('cust-2')).toEqual([crm('001B'), itsm('x')])
      expect(audit.events.at(-1)).toMatchObject({ operation: 'identity.undo', input: { undoes: merge } })
    })

    it('splits records off into a new entity and undoes the split', async () => {
      const { identity } = setup()
      await identity.link('cust-1', [crm('001A'), crm('001B'), erp('1')])
      const split = await identity.split('cust-1', [crm('001B')], { newCanonicalId: 'cust-9' })
      expect((await identity.resolve(crm('001B')))?.canonicalId).toBe('cust-9')
      expect(await identity.idsOf('cust-1')).toEqual([crm('001A'), erp('1')])
      await identity.undo(eventIdOf(split))
      expect((await identity.resolve(crm('001B')))?.canonicalId).toBe('cust-1')
      expect(await identity.idsOf('cust-9')).toEqual([])
    })

    it('reports a split of a record the entity does not hold as a conflict', async () => {
      const { identity } = setup()
      await identity.link('cust-1', crm('001A'))
      await identity.link('cust-2', crm('001B'))
      const result = await identity.split('cust-1', [crm('001B')], { newCanonicalId: 'cust-9' })
      expect(result).toMatchObject({
        ok: false,
        conflicts: [{ ref: crm('001B'), heldBy: 'cust-2', claimedBy: 'cust-9' }],
      })
    })

    it('undoes an undo, re-applying the original change', async () => {
      const { identity } = setup()
      await identity.link('cust-1', crm('001A'))
      await identity.link('cust-2', crm('001B'))
      const merge = eventIdOf(await identity.merge('cust-1', 'cust-2'))
      const undo = eventIdOf(await identity.undo(merge))
      await identity.undo(undo)
      expect((await identity.resolve(crm('001B')))?.canonicalId).toBe('cust-1')
    })

    it('refuses to undo a change whose links have moved since, naming the conflict', async () => {
      const { identity } = setup()
      await identity.link('cust-1', crm('001A'))
      await identity.link('cust-2', [crm('001B'), erp('2')])
      const merge = eventIdOf(await identity.merge('cust-1', 'cust-2'))
      await identity.split('cust-1', [erp('2')], { newCanonicalId: 'cust-3' })
      const undo = await identity.undo(merge)
      expect(undo).toMatchObject({
        ok: false,
        conflicts: [{ ref: erp('2'), heldBy: 'cust-3', claimedBy: 'cust-2' }],
      })
      expect((await identity.resolve(crm('001B')))?.canonicalId).toBe('cust-1')
    })

    it('undoes a link by unlinking only what it linked', async () => {
      const { identity } = setup()
      await identity.link('cust-1', crm('001A'))
      const link = eventIdOf(await identity.link('cust-1', [crm('001A'), erp('1')]))
      await identity.undo(link)
      expect(await identity.idsOf('cust-1')).toEqual([crm('001A')])
    })

    it('unlinks records from whichever entity holds them', async () => {
      const { identity, audit } = setup()
      await identity.link('cust-1', crm('001A'))
      await identity.link('cust-2', erp('1'))
      await identity.unlink([crm('001A'), erp('1'), itsm('never')])
      expect(await identity.resolveMany([crm('001A'), erp('1')])).toEqual([undefined, undefined])
      expect(audit.events.at(-1)).toMatchObject({
        operation: 'identity.unlink',
        recordIds: ['cust-1', 'cust-2'],
      })
    })

    it('rejects an undo of an unknown event with a NotFoundError', async () => {
      const { identity } = setup()
      await expect(identity.undo('no-such-event')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    })

    it('rejects merging an entity into itself', async () => {
      const { identity } = setup()
      await expect(identity.merge('cust-1', 'cust-1')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    })

    it('reverts a change whose audit event could not be written, and rethrows', async () => {
      const store = openStore()
      const failing: AuditSink = {
        async write(_event: AuditEvent) {
          throw new JunctionError({ code: 'AUDIT_WRITE_FAILED', message: 'disk full' })
        },
        async flush() {},
        async close() {},
      }
      const identity = identityResolver({ store, audit: failing })
      await expect(identity.link('cust-1', crm('001A'))).rejects.toMatchObject({ code: 'AUDIT_WRITE_FAILED' })
      expect(await store.resolve(crm('001A'))).toBeUndefined()
    })

    it('reports matches between records already linked to different entities', async () => {
      const { identity } = setup()
      await identity.link('cust-1', crm('1'))
      await identity.link('cust-2', erp('A'))
      const result = await identity.match(
        [{ ref: crm('1'), email: 'jane@example.com' }],
        [{ ref: erp('A'), email: 'JANE@example.com' }],
      )
      expect(result.matches).toHaveLength(1)
      expect(result.conflicts).toEqual([
        { match: result.matches[0], canonicalA: 'cust-1', canonicalB: 'cust-2' },
      ])
    })
  })
}

resolverSuite('memory', () => memoryIdentityStore())

describe('identityResolver options', () => {
  it('rejects a missing audit sink with a ConfigError naming it', () => {
    expect(() => identityResolver({ store: memoryIdentityStore() } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: 'audit' }),
    )
  })
})

describe.skipIf(redis.skip)('identityResolver on Redis', () => {
  const runPrefix = `junction-test:identity-resolver:${randomUUID()}:`
  let client: Redis
  let stores = 0

  beforeAll(() => {
    client = new Redis(redis.url)
  })

  afterAll(async () => {
    for await (const keys of client.scanStream({ match: `${runPrefix}*`, count: 500 })) {
      if ((keys as string[]).length > 0) await client.del(keys as string[])
    }
    await client.quit()
  })

  resolverSuite('redis', () => redisIdentityStore({ client, keyPrefix: `${runPrefix}${stores++}:` }))
})
