import { afterEach, describe, expect, it } from 'vitest'
import type { Checkpoint, CheckpointStore } from '../checkpoints/checkpoint-store.js'

const checkpoint = (cursor: string, records = 1): Checkpoint => ({
  cursor,
  savedAt: new Date('2026-11-24T10:00:00.000Z'),
  records,
})

/**
 * Registers the `CheckpointStore` contract as vitest tests. `factory` is called once per test and
 * must return an empty store, isolated from the others.
 */
export function checkpointStoreContract(
  name: string,
  factory: () => CheckpointStore | Promise<CheckpointStore>,
): void {
  describe(`${name} (CheckpointStore contract)`, () => {
    const opened: CheckpointStore[] = []
    const open = async (): Promise<CheckpointStore> => {
      const store = await factory()
      opened.push(store)
      return store
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()))
    })

    it('returns undefined for a key never saved', async () => {
      const store = await open()
      expect(await store.load('crm:Lead')).toBeUndefined()
    })

    it('loads back a saved checkpoint, savedAt as a Date', async () => {
      const store = await open()
      await store.save('crm:Lead', checkpoint('c-42', 42))
      const loaded = await store.load('crm:Lead')
      expect(loaded).toEqual(checkpoint('c-42', 42))
      expect(loaded?.savedAt).toBeInstanceOf(Date)
    })

    it('replaces a checkpoint saved again', async () => {
      const store = await open()
      await store.save('crm:Lead', checkpoint('c-1'))
      await store.save('crm:Lead', checkpoint('c-2', 2))
      expect((await store.load('crm:Lead'))?.cursor).toBe('c-2')
    })

    it('keeps keys apart, whatever characters they hold', async () => {
      const store = await open()
      await store.save('crm:Lead', checkpoint('lead'))
      await store.save('erp/A_SalesOrder ü?*', checkpoint('order'))
      expect((await store.load('crm:Lead'))?.cursor).toBe('lead')
      expect((await store.load('erp/A_SalesOrder ü?*'))?.cursor).toBe('order')
    })

    it('deletes a checkpoint and reports whether it was there', async () => {
      const store = await open()
      await store.save('crm:Lead', checkpoint('c-1'))
      expect(await store.delete('crm:Lead')).toBe(true)
      expect(await store.delete('crm:Lead')).toBe(false)
      expect(await store.load('crm:Lead')).toBeUndefined()
    })

    it('refuses a malformed checkpoint with a ValidationError and keeps the saved one', async () => {
      const store = await open()
      await store.save('crm:Lead', checkpoint('good'))
      await expect(store.save('crm:Lead', { ...checkpoint('x'), cursor: '' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      })
      expect((await store.load('crm:Lead'))?.cursor).toBe('good')
    })

    it('rejects an empty key with a ValidationError', async () => {
      const store = await open()
      await expect(store.load('')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    })

    it('rejects calls once closed with STORE_CLOSED, and closes idempotently', async () => {
      const store = await open()
      await store.close()
      await store.close()
      await expect(store.load('crm:Lead')).rejects.toMatchObject({ code: 'STORE_CLOSED' })
    })
  })
}
