import { afterEach, describe, expect, it } from 'vitest'
import type { KeyValueStore } from '../stores/key-value-store.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// Short real ttls, and waits well past them: only "gone after", never "fast enough", is asserted.
const SHORT_TTL_MS = 60
const PAST_TTL_MS = 250
const LONG_TTL_MS = 60_000

// Codes rather than classes: a driver may be built against another copy of @junction/core.
const validationFailed = { code: 'VALIDATION_FAILED' }
const storeClosed = { code: 'STORE_CLOSED' }

/**
 * Registers the `KeyValueStore` contract as vitest tests, for Junction's drivers and third-party ones
 * alike. `factory` is called once per test and must return an empty store, isolated from the others.
 */
export function keyValueStoreContract(
  name: string,
  factory: () => KeyValueStore | Promise<KeyValueStore>,
): void {
  describe(`${name} (KeyValueStore contract)`, () => {
    const opened: KeyValueStore[] = []
    const open = async (): Promise<KeyValueStore> => {
      const store = await factory()
      opened.push(store)
      return store
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()))
    })

    describe('reads and writes', () => {
      it('returns undefined for a key that was never set', async () => {
        const store = await open()
        expect(await store.get('missing')).toBeUndefined()
      })

      it('reads back a value that was set', async () => {
        const store = await open()
        await store.set('greeting', 'hello')
        expect(await store.get('greeting')).toBe('hello')
      })

      it('replaces a value when the key is set again', async () => {
        const store = await open()
        await store.set('cursor', 1)
        await store.set('cursor', 2)
        expect(await store.get('cursor')).toBe(2)
      })

      it('deletes a present key and reports that it was there', async () => {
        const store = await open()
        await store.set('lock', true)
        expect(await store.delete('lock')).toBe(true)
        expect(await store.get('lock')).toBeUndefined()
      })

      it('reports false when deleting a missing key', async () => {
        const store = await open()
        expect(await store.delete('missing')).toBe(false)
      })

      it('returns getMany results in the order asked, with undefined for missing keys', async () => {
        const store = await open()
        await store.set('a', 'A')
        await store.set('c', 'C')
        expect(await store.getMany(['c', 'missing', 'a', 'c'])).toEqual(['C', undefined, 'A', 'C'])
      })

      it('returns an empty list from getMany with no keys', async () => {
        const store = await open()
        expect(await store.getMany([])).toEqual([])
      })

      it('rejects an empty key with a ValidationError', async () => {
        const store = await open()
        await expect(store.set('', 1)).rejects.toMatchObject(validationFailed)
      })
    })

    describe('values', () => {
      it('round-trips nested JSON values exactly', async () => {
        const store = await open()
        const value = {
          text: 'naïve — 日本語 ✓',
          numbers: [0, -1, 1.5, Number.MAX_SAFE_INTEGER],
          flags: { yes: true, no: false, none: null },
          empty: { object: {}, array: [] },
          deep: [[{ level: [{ three: 3 }] }]],
        }
        await store.set('nested', value)
        expect(await store.get('nested')).toEqual(value)
      })

      it('round-trips a Date to the millisecond', async () => {
        const store = await open()
        const at = new Date('2026-11-24T10:15:30.123Z')
        await store.set('at', at)
        const read = await store.get<Date>('at')
        expect(read).toBeInstanceOf(Date)
        expect(read?.getTime()).toBe(at.getTime())
      })

      it('round-trips Dates nested in objects and arrays', async () => {
        const store = await open()
        const value = { seen: new Date(0), history: [{ at: new Date('2024-02-29T23:59:59.999Z') }] }
        await store.set('dates', value)
        const read = await store.get<typeof value>('dates')
        expect(read?.seen).toBeInstanceOf(Date)
        expect(read).toEqual(value)
      })

      it('keeps user objects that look like a date tag as plain objects', async () => {
        const store = await open()
        const value = [
          { $date: '2026-01-01T00:00:00.000Z' },
          { $escape: { $date: 'not a date' } },
          { $date: { $escape: 1 } },
          { $date: '2026-01-01T00:00:00.000Z', other: 1 },
        ]
        await store.set('lookalikes', value)
        expect(await store.get('lookalikes')).toEqual(value)
      })

      it('drops object properties that are undefined, as JSON does', async () => {
        const store = await open()
        await store.set('sparse', { kept: 1, dropped: undefined })
        expect(Object.keys((await store.get<object>('sparse')) ?? {})).toEqual(['kept'])
      })

      it('stores a copy, so mutating the original after set changes nothing', async () => {
        const store = await open()
        const value = { list: [1], inner: { name: 'before' } }
        await store.set('copy', value)
        value.list.push(2)
        value.inner.name = 'after'
        expect(await store.get('copy')).toEqual({ list: [1], inner: { name: 'before' } })
      })

      it('returns a copy, so mutating a value read changes nothing', async () => {
        const store = await open()
        await store.set('copy', { list: [1] })
        const read = await store.get<{ list: number[] }>('copy')
        read?.list.push(2)
        expect(await store.get('copy')).toEqual({ list: [1] })
      })

      it.each([
        ['a Map', new Map([['a', 1]])],
        ['a function', () => 1],
        ['NaN', Number.NaN],
        ['Infinity', Number.POSITIVE_INFINITY],
        ['a bigint', 1n],
        ['undefined', undefined],
        ['an invalid Date', new Date('nope')],
        ['a class instance', new URL('https://example.com')],
        ['an undefined array element', [1, undefined]],
      ])('rejects %s, which would not round-trip, with a ValidationError', async (_, value) => {
        const store = await open()
        await expect(store.set('bad', value)).rejects.toMatchObject(validationFailed)
      })

      it('rejects a circular value with a ValidationError', async () => {
        const store = await open()
        const value: Record<string, unknown> = {}
        value.self = value
        await expect(store.set('bad', value)).rejects.toMatchObject(validationFailed)
      })

      it('accepts the same object twice in one value when there is no cycle', async () => {
        const store = await open()
        const shared = { id: 1 }
        await store.set('twice', { a: shared, b: shared })
        expect(await store.get('twice')).toEqual({ a: { id: 1 }, b: { id: 1 } })
      })
    })

    describe('expiry', () => {
      it('reads an entry before its ttl passes', async () => {
        const store = await open()
        await store.set('session', 'token-ref', { ttlMs: LONG_TTL_MS })
        expect(await store.get('session')).toBe('token-ref')
      })

      it('hides an entry once its ttl has passed', async () => {
        const store = await open()
        await store.set('session', 'token-ref', { ttlMs: SHORT_TTL_MS })
        await sleep(PAST_TTL_MS)
        expect(await store.get('session')).toBeUndefined()
      })

      it('hides expired entries from getMany', async () => {
        const store = await open()
        await store.set('short', 1, { ttlMs: SHORT_TTL_MS })
        await store.set('kept', 2)
        await sleep(PAST_TTL_MS)
        expect(await store.getMany(['short', 'kept'])).toEqual([undefined, 2])
      })

      it('reports false when deleting an expired entry', async () => {
        const store = await open()
        await store.set('short', 1, { ttlMs: SHORT_TTL_MS })
        await sleep(PAST_TTL_MS)
        expect(await store.delete('short')).toBe(false)
      })

      it('clears an earlier ttl when a key is set again without one', async () => {
        const store = await open()
        await store.set('key', 1, { ttlMs: SHORT_TTL_MS })
        await store.set('key', 2)
        await sleep(PAST_TTL_MS)
        expect(await store.get('key')).toBe(2)
      })

      it('rejects a ttl that is not a positive number with a ValidationError', async () => {
        const store = await open()
        await expect(store.set('key', 1, { ttlMs: 0 })).rejects.toMatchObject(validationFailed)
        await expect(store.set('key', 1, { ttlMs: -5 })).rejects.toMatchObject(validationFailed)
        await expect(store.set('key', 1, { ttlMs: Number.NaN })).rejects.toMatchObject(validationFailed)
      })
    })

    describe('setIfAbsent', () => {
      it('stores a value under an absent key and reports true', async () => {
        const store = await open()
        expect(await store.setIfAbsent('claim', 'worker-1')).toBe(true)
        expect(await store.get('claim')).toBe('worker-1')
      })

      it('leaves a present value alone and reports false', async () => {
        const store = await open()
        await store.set('claim', 'worker-1')
        expect(await store.setIfAbsent('claim', 'worker-2')).toBe(false)
        expect(await store.get('claim')).toBe('worker-1')
      })

      it('lets exactly one of 20 concurrent claims win, and keeps the winner’s value', async () => {
        const store = await open()
        const claims = Array.from({ length: 20 }, (_, index) => store.setIfAbsent('claim', `worker-${index}`))
        const results = await Promise.all(claims)
        expect(results.filter(Boolean)).toHaveLength(1)
        expect(await store.get('claim')).toBe(`worker-${results.indexOf(true)}`)
      })

      it('claims a key again once the earlier claim has expired', async () => {
        const store = await open()
        await store.setIfAbsent('claim', 'worker-1', { ttlMs: SHORT_TTL_MS })
        await sleep(PAST_TTL_MS)
        expect(await store.setIfAbsent('claim', 'worker-2')).toBe(true)
        expect(await store.get('claim')).toBe('worker-2')
      })
    })

    describe('increment', () => {
      it('creates a counter at zero and adds one by default', async () => {
        const store = await open()
        expect(await store.increment('hits')).toBe(1)
        expect(await store.increment('hits')).toBe(2)
      })

      it('adds the given step, including negative ones', async () => {
        const store = await open()
        expect(await store.increment('quota', 10)).toBe(10)
        expect(await store.increment('quota', -3)).toBe(7)
      })

      it('reads a counter back as a number', async () => {
        const store = await open()
        await store.increment('hits', 5)
        expect(await store.get('hits')).toBe(5)
      })

      it('continues from an integer that was set', async () => {
        const store = await open()
        await store.set('hits', 41)
        expect(await store.increment('hits')).toBe(42)
      })

      it('counts 100 concurrent increments exactly, each seeing its own value', async () => {
        const store = await open()
        const results = await Promise.all(Array.from({ length: 100 }, () => store.increment('hits')))
        expect(await store.get('hits')).toBe(100)
        expect(new Set(results).size).toBe(100)
      })

      it('rejects incrementing a value that is not an integer with a ValidationError', async () => {
        const store = await open()
        await store.set('name', 'ann')
        await store.set('ratio', 1.5)
        await expect(store.increment('name')).rejects.toMatchObject(validationFailed)
        await expect(store.increment('ratio')).rejects.toMatchObject(validationFailed)
        expect(await store.get('name')).toBe('ann')
      })

      it('rejects a step that is not an integer with a ValidationError', async () => {
        const store = await open()
        await expect(store.increment('hits', 0.5)).rejects.toMatchObject(validationFailed)
      })

      it('expires a counter given a ttl', async () => {
        const store = await open()
        await store.increment('window', 1, { ttlMs: SHORT_TTL_MS })
        await sleep(PAST_TTL_MS)
        expect(await store.get('window')).toBeUndefined()
        expect(await store.increment('window')).toBe(1)
      })

      it('keeps a counter’s expiry when incremented without a ttl', async () => {
        const store = await open()
        await store.increment('window', 1, { ttlMs: SHORT_TTL_MS })
        await store.increment('window')
        await sleep(PAST_TTL_MS)
        expect(await store.get('window')).toBeUndefined()
      })
    })

    describe('namespaces', () => {
      it('keeps the same key in two namespaces apart', async () => {
        const store = await open()
        await store.namespace('tenant-a').set('cursor', 'a')
        await store.namespace('tenant-b').set('cursor', 'b')
        expect(await store.namespace('tenant-a').get('cursor')).toBe('a')
        expect(await store.namespace('tenant-b').get('cursor')).toBe('b')
        expect(await store.get('cursor')).toBeUndefined()
      })

      it('keeps a nested namespace apart from its parent', async () => {
        const store = await open()
        const tenant = store.namespace('tenant')
        await tenant.set('key', 'parent')
        await tenant.namespace('crm').set('key', 'child')
        expect(await tenant.get('key')).toBe('parent')
        expect(await tenant.namespace('crm').get('key')).toBe('child')
      })

      it('shares data between two views of the same namespace', async () => {
        const store = await open()
        await store.namespace('tenant').set('key', 1)
        expect(await store.namespace('tenant').get('key')).toBe(1)
      })

      it('deletes and counts within its own namespace only', async () => {
        const store = await open()
        await store.namespace('a').set('key', 1)
        await store.namespace('b').set('key', 2)
        expect(await store.namespace('a').delete('key')).toBe(true)
        expect(await store.namespace('b').get('key')).toBe(2)
        expect(await store.namespace('b').increment('count')).toBe(1)
        expect(await store.namespace('a').get('count')).toBeUndefined()
      })

      it('rejects an empty namespace with a ValidationError', async () => {
        const store = await open()
        expect(() => store.namespace('')).toThrow(expect.objectContaining(validationFailed))
      })
    })

    describe('close', () => {
      it('rejects every call once closed with a STORE_CLOSED error', async () => {
        const store = await open()
        await store.close()
        await expect(store.get('key')).rejects.toMatchObject(storeClosed)
        await expect(store.getMany(['key'])).rejects.toMatchObject(storeClosed)
        await expect(store.set('key', 1)).rejects.toMatchObject(storeClosed)
        await expect(store.setIfAbsent('key', 1)).rejects.toMatchObject(storeClosed)
        await expect(store.delete('key')).rejects.toMatchObject(storeClosed)
        await expect(store.increment('key')).rejects.toMatchObject(storeClosed)
      })

      it('resolves when closed twice', async () => {
        const store = await open()
        await store.close()
        await expect(store.close()).resolves.toBeUndefined()
      })

      it('closes the namespace views along with the store', async () => {
        const store = await open()
        const view = store.namespace('tenant')
        await store.close()
        await expect(view.get('key')).rejects.toMatchObject(storeClosed)
      })

      it('leaves the store open when a namespace view is closed', async () => {
        const store = await open()
        const view = store.namespace('tenant')
        await view.close()
        await expect(view.get('key')).rejects.toMatchObject(storeClosed)
        await store.namespace('tenant').set('key', 1)
        expect(await store.namespace('tenant').get('key')).toBe(1)
      })
    })
  })
}
