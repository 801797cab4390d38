import { afterEach, describe, expect, it } from 'vitest'
import { salesforceIdFormat } from './id-format.js'
import type { IdentityStore } from './identity-store.js'
import type { IdentityStoreOptions } from './identity-store-options.js'

// Codes rather than classes: a driver may be built against another copy of @junction/core.
const validationFailed = { code: 'VALIDATION_FAILED' }
const storeClosed = { code: 'STORE_CLOSED' }

const crm = (id: string) => ({ system: 'crm', id })
const erp = (id: string) => ({ system: 'erp', id })
const itsm = (id: string) => ({ system: 'itsm', id })

/**
 * Registers the `IdentityStore` contract as vitest tests, for Junction's drivers and third-party ones.
 * `factory` is called once per test with the options to honour and must return an empty, isolated store.
 */
export function identityStoreContract(
  name: string,
  factory: (options: IdentityStoreOptions) => IdentityStore | Promise<IdentityStore>,
): void {
  describe(`${name} (IdentityStore contract)`, () => {
    const opened: IdentityStore[] = []
    const open = async (options: IdentityStoreOptions = {}): Promise<IdentityStore> => {
      const store = await factory(options)
      opened.push(store)
      return store
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()))
    })

    describe('links and lookups', () => {
      it('resolves an unknown system id to undefined', async () => {
        const store = await open()
        expect(await store.resolve(crm('001A'))).toBeUndefined()
      })

      it('resolves a linked system id to its entity with every linked id', async () => {
        const store = await open()
        await store.link('cust-1', [crm('001A'), erp('1000123'), itsm('abc')])
        expect(await store.resolve(erp('1000123'))).toEqual({
          canonicalId: 'cust-1',
          links: [crm('001A'), erp('1000123'), itsm('abc')],
          ids: { crm: '001A', erp: '1000123', itsm: 'abc' },
        })
      })

      it('lists the ids of a canonical entity, and none for an unknown one', async () => {
        const store = await open()
        await store.link('cust-1', [crm('001A'), erp('1000123')])
        expect(await store.idsOf('cust-1')).toEqual([crm('001A'), erp('1000123')])
        expect(await store.idsOf('cust-404')).toEqual([])
      })

      it('resolves many ids in the order asked, undefined for unlinked ones', async () => {
        const store = await open()
        await store.link('cust-1', [crm('001A'), erp('1')])
        await store.link('cust-2', [crm('001B')])
        const entities = await store.resolveMany([crm('001B'), crm('missing'), erp('1'), crm('001A')])
        expect(entities.map((entity) => entity?.canonicalId)).toEqual([
          'cust-2',
          undefined,
          'cust-1',
          'cust-1',
        ])
        expect(entities[2]?.ids).toEqual({ crm: '001A', erp: '1' })
      })

      it('resolves an empty batch to an empty list', async () => {
        const store = await open()
        expect(await store.resolveMany([])).toEqual([])
      })

      it('resolves a batch larger than one script call', async () => {
        const store = await open()
        const refs = Array.from({ length: 1_203 }, (_, index) => crm(`id-${index}`))
        await store.link('big', refs.slice(0, 600))
        await store.link('other', refs.slice(600, 1_200))
        const entities = await store.resolveMany(refs)
        expect(entities.filter((entity) => entity?.canonicalId === 'big')).toHaveLength(600)
        expect(entities.filter((entity) => entity?.canonicalId === 'other')).toHaveLength(600)
        expect(entities.slice(1_200)).toEqual([undefined, undefined, undefined])
      })

      it('keeps two ids of one system on one entity, the first as ids[system]', async () => {
        const store = await open()
        await store.link('cust-1', [crm('001A'), crm('001B')])
        const entity = await store.resolve(crm('001B'))
        expect(entity?.links).toEqual([crm('001A'), crm('001B')])
        expect(entity?.ids).toEqual({ crm: '001A' })
      })

      it('treats linking an id to the entity that holds it as a no-op', async () => {
        const store = await open()
        await store.link('cust-1', crm('001A'))
        expect(await store.link('cust-1', crm('001A'))).toEqual({ ok: true, applied: [] })
        expect(await store.idsOf('cust-1')).toEqual([crm('001A')])
      })

      it('unlinks an id both ways and reports which entity held it', async () => {
        const store = await open()
        await store.link('cust-1', [crm('001A'), erp('1')])
        expect(await store.unlink(crm('001A'))).toBe('cust-1')
        expect(await store.resolve(crm('001A'))).toBeUndefined()
        expect(await store.idsOf('cust-1')).toEqual([erp('1')])
      })

      it('reports undefined when unlinking an unlinked id', async () => {
        const store = await open()
        expect(await store.unlink(crm('001A'))).toBeUndefined()
      })
    })

    describe('conflicts', () => {
      it('reports an id claimed by a second entity with both claimants', async () => {
        const store = await open()
        await store.link('cust-1', crm('001A'))
        const result = await store.link('cust-2', crm('001A'))
        expect(result).toEqual({
          ok: false,
          conflicts: [{ ref: crm('001A'), heldBy: 'cust-1', claimedBy: 'cust-2' }],
        })
      })

      it('never overwrites the first claimant and applies nothing of a conflicting batch', async () => {
        const store = await open()
        await store.link('cust-1', crm('001A'))
        await store.link('cust-2', [erp('1'), crm('001A')])
        expect((await store.resolve(crm('001A')))?.canonicalId).toBe('cust-1')
        expect(await store.resolve(erp('1'))).toBeUndefined()
        expect(await store.idsOf('cust-2')).toEqual([])
      })

      it('reports a compare-and-set change whose expected holder is stale', async () => {
        const store = await open()
        await store.link('cust-1', crm('001A'))
        const result = await store.apply([{ ref: crm('001A'), from: 'cust-9', to: 'cust-2' }])
        expect(result).toEqual({
          ok: false,
          conflicts: [{ ref: crm('001A'), heldBy: 'cust-1', claimedBy: 'cust-2' }],
        })
      })
    })

    describe('change sets and the journal', () => {
      it('moves ids between entities atomically', async () => {
        const store = await open()
        await store.link('cust-1', [crm('001A'), erp('1')])
        await store.link('cust-2', [itsm('x')])
        const result = await store.apply([
          { ref: crm('001A'), from: 'cust-1', to: 'cust-2' },
          { ref: erp('1'), from: 'cust-1', to: 'cust-2' },
        ])
        expect(result.ok).toBe(true)
        expect(await store.idsOf('cust-1')).toEqual([])
        expect((await store.resolve(crm('001A')))?.ids).toEqual({ itsm: 'x', crm: '001A', erp: '1' })
      })

      it('journals only the changes that took effect', async () => {
        const store = await open()
        await store.link('cust-1', crm('001A'))
        await store.apply(
          [
            { ref: crm('001A'), from: undefined, to: 'cust-1' },
            { ref: erp('1'), from: undefined, to: 'cust-1' },
          ],
          'event-1',
        )
        expect(await store.journal('event-1')).toEqual({
          id: 'event-1',
          changes: [{ ref: erp('1'), from: undefined, to: 'cust-1' }],
        })
      })

      it('returns undefined for an unknown journal id', async () => {
        const store = await open()
        expect(await store.journal('never')).toBeUndefined()
      })

      it('rejects the same id twice in one change set', async () => {
        const store = await open()
        await expect(store.link('cust-1', [crm('001A'), crm('001A')])).rejects.toMatchObject(validationFailed)
      })
    })

    describe('ids and arguments', () => {
      it('resolves a Salesforce id by its 15- and 18-character forms alike', async () => {
        const store = await open({ idFormats: { crm: salesforceIdFormat } })
        await store.link('cust-1', crm('001000000000001AAA'))
        expect((await store.resolve(crm('001000000000001')))?.canonicalId).toBe('cust-1')
        expect((await store.resolve(crm('001000000000001aaa')))?.ids.crm).toBe('001000000000001AAA')
      })

      it('rejects a system name with a separator in it', async () => {
        const store = await open()
        await expect(store.link('cust-1', { system: 'crm:eu', id: '1' })).rejects.toMatchObject(
          validationFailed,
        )
      })

      it('rejects an empty id and an empty canonical id', async () => {
        const store = await open()
        await expect(store.resolve(crm('  '))).rejects.toMatchObject(validationFailed)
        await expect(store.link('', crm('1'))).rejects.toMatchObject(validationFailed)
      })

      it('rejects every call once closed', async () => {
        const store = await open()
        await store.close()
        await expect(store.resolve(crm('001A'))).rejects.toMatchObject(storeClosed)
        await expect(store.link('cust-1', crm('001A'))).rejects.toMatchObject(storeClosed)
      })
    })
  })
}
