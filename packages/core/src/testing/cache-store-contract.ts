import { afterEach, describe, expect, it } from 'vitest'
import type { CacheEntry, CacheStore } from '../cache/cache-store.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// Short real lifetimes, and waits well past them: only "gone after", never "fast enough", is asserted.
const SHORT_MS = 60
const PAST_MS = 250
const LONG_MS = 60_000

// Codes rather than classes: a driver may be built against another copy of @junction/core.
const validationFailed = { code: 'VALIDATION_FAILED' }
const storeClosed = { code: 'STORE_CLOSED' }

/** An entry fresh for `freshMs` and then servable stale until `staleMs` from now. */
const entry = <T>(value: T, tags?: string[], freshMs = LONG_MS, staleMs = LONG_MS): CacheEntry<T> => {
  const now = Date.now()
  return { value, storedAt: now, freshUntil: now + freshMs, staleUntil: now + staleMs, tags }
}

/**
 * Registers the `CacheStore` contract as vitest tests, for Junction's drivers and third-party ones
 * alike. `factory` is called once per test and must return an empty cache, isolated from the others.
 */
export function cacheContract(name: string, factory: () => CacheStore | Promise<CacheStore>): void {
  describe(`${name} (CacheStore contract)`, () => {
    const opened: CacheStore[] = []
    const open = async (): Promise<CacheStore> => {
      const cache = await factory()
      opened.push(cache)
      return cache
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((cache) => cache.close()))
    })

    describe('entries', () => {
      it('returns undefined for a key that was never set', async () => {
        const cache = await open()
        expect(await cache.get('missing')).toBeUndefined()
      })

      it('reads back an entry with its value, times and tags', async () => {
        const cache = await open()
        const stored = entry({ id: '001', name: 'Acme' }, ['Account:001'])
        await cache.set('account', stored)
        expect(await cache.get('account')).toEqual(stored)
      })

      it('replaces an entry when the key is set again', async () => {
        const cache = await open()
        await cache.set('account', entry(1))
        await cache.set('account', entry(2))
        expect((await cache.get('account'))?.value).toBe(2)
      })

      it('deletes a present entry and reports that it was there', async () => {
        const cache = await open()
        await cache.set('account', entry(1))
        expect(await cache.delete('account')).toBe(true)
        expect(await cache.get('account')).toBeUndefined()
      })

      it('reports false when deleting a missing entry', async () => {
        const cache = await open()
        expect(await cache.delete('missing')).toBe(false)
      })

      it('rejects an empty key with a ValidationError', async () => {
        const cache = await open()
        await expect(cache.set('', entry(1))).rejects.toMatchObject(validationFailed)
        await expect(cache.get('')).rejects.toMatchObject(validationFailed)
      })
    })

    describe('values', () => {
      it('round-trips nested JSON values exactly', async () => {
        const cache = await open()
        const value = {
          text: 'naïve — 日本語 ✓',
          numbers: [0, -1, 1.5, Number.MAX_SAFE_INTEGER],
          flags: { yes: true, no: false, none: null },
          empty: { object: {}, array: [] },
          lookalike: { $date: 'not a date' },
        }
        await cache.set('nested', entry(value))
        expect((await cache.get('nested'))?.value).toEqual(value)
      })

      it('round-trips Dates nested in the value to the millisecond', async () => {
        const cache = await open()
        const value = { at: new Date('2026-11-24T10:15:30.123Z'), history: [{ at: new Date(0) }] }
        await cache.set('dates', entry(value))
        const read = (await cache.get<typeof value>('dates'))?.value
        expect(read?.at).toBeInstanceOf(Date)
        expect(read?.history[0]?.at).toBeInstanceOf(Date)
        expect(read).toEqual(value)
      })

      it('stores a copy, so mutating the original after set changes nothing', async () => {
        const cache = await open()
        const value = { list: [1] }
        await cache.set('copy', entry(value))
        value.list.push(2)
        expect((await cache.get('copy'))?.value).toEqual({ list: [1] })
      })

      it('returns a copy, so mutating a value read changes nothing', async () => {
        const cache = await open()
        await cache.set('copy', entry({ list: [1] }))
        const read = await cache.get<{ list: number[] }>('copy')
        read?.value.list.push(2)
        expect((await cache.get('copy'))?.value).toEqual({ list: [1] })
      })

      it.each([
        ['a Map', new Map([['a', 1]])],
        ['a function', () => 1],
        ['NaN', Number.NaN],
        ['a bigint', 1n],
        ['an invalid Date', new Date('nope')],
      ])('rejects %s, which would not round-trip, with a ValidationError', async (_, value) => {
        const cache = await open()
        await expect(cache.set('bad', entry(value))).rejects.toMatchObject(validationFailed)
      })

      it('rejects an entry that is fresh after it stops being servable with a ValidationError', async () => {
        const cache = await open()
        await expect(cache.set('bad', entry(1, [], LONG_MS, SHORT_MS))).rejects.toMatchObject(
          validationFailed,
        )
      })

      it('rejects an entry whose times are not numbers with a ValidationError', async () => {
        const cache = await open()
        const bad = { ...entry(1), staleUntil: Number.NaN }
        await expect(cache.set('bad', bad)).rejects.toMatchObject(validationFailed)
      })

      it('rejects an empty tag with a ValidationError', async () => {
        const cache = await open()
        await expect(cache.set('bad', entry(1, ['']))).rejects.toMatchObject(validationFailed)
      })
    })

    describe('lifetime', () => {
      it('still returns an entry that is stale but not past staleUntil', async () => {
        const cache = await open()
        await cache.set('stale', entry('old', [], SHORT_MS, LONG_MS))
        await sleep(PAST_MS)
        const read = await cache.get('stale')
        expect(read?.value).toBe('old')
        expect(read?.freshUntil).toBeLessThan(Date.now())
      })

      it('drops an entry once staleUntil has passed', async () => {
        const cache = await open()
        await cache.set('short', entry('old', [], SHORT_MS, SHORT_MS))
        await sleep(PAST_MS)
        expect(await cache.get('short')).toBeUndefined()
      })

      it('does not store an entry whose staleUntil has already passed, and drops the one it replaces', async () => {
        const cache = await open()
        await cache.set('key', entry('kept'))
        const now = Date.now()
        await cache.set('key', {
          value: 'late',
          storedAt: now - 10,
          freshUntil: now - 5,
          staleUntil: now - 1,
        })
        expect(await cache.get('key')).toBeUndefined()
      })
    })

    describe('tags', () => {
      it('removes every entry carrying a tag and reports how many', async () => {
        const cache = await open()
        await cache.set('one', entry(1, ['Account:001']))
        await cache.set('list', entry([1, 2], ['Account:001', 'Account:002']))
        await cache.set('other', entry(2, ['Account:002']))
        expect(await cache.invalidateTag('Account:001')).toBe(2)
        expect(await cache.get('one')).toBeUndefined()
        expect(await cache.get('list')).toBeUndefined()
        expect((await cache.get('other'))?.value).toBe(2)
      })

      it('reports 0 for a tag no entry carries', async () => {
        const cache = await open()
        await cache.set('one', entry(1, ['Account:001']))
        expect(await cache.invalidateTag('Account:999')).toBe(0)
        expect((await cache.get('one'))?.value).toBe(1)
      })

      it('forgets the old tags of a replaced entry', async () => {
        const cache = await open()
        await cache.set('key', entry(1, ['old']))
        await cache.set('key', entry(2, ['new']))
        expect(await cache.invalidateTag('old')).toBe(0)
        expect((await cache.get('key'))?.value).toBe(2)
        expect(await cache.invalidateTag('new')).toBe(1)
      })

      it('does not count an entry already deleted', async () => {
        const cache = await open()
        await cache.set('key', entry(1, ['tag']))
        await cache.delete('key')
        expect(await cache.invalidateTag('tag')).toBe(0)
      })

      it('does not count an entry already removed through another tag', async () => {
        const cache = await open()
        await cache.set('key', entry(1, ['a', 'b']))
        expect(await cache.invalidateTag('a')).toBe(1)
        expect(await cache.invalidateTag('b')).toBe(0)
      })

      it('tags a new entry again after its tag was invalidated', async () => {
        const cache = await open()
        await cache.set('key', entry(1, ['tag']))
        await cache.invalidateTag('tag')
        await cache.set('key', entry(2, ['tag']))
        expect(await cache.invalidateTag('tag')).toBe(1)
      })
    })

    describe('close', () => {
      it('rejects every call after close with STORE_CLOSED', async () => {
        const cache = await open()
        await cache.close()
        await expect(cache.get('key')).rejects.toMatchObject(storeClosed)
        await expect(cache.set('key', entry(1))).rejects.toMatchObject(storeClosed)
        await expect(cache.delete('key')).rejects.toMatchObject(storeClosed)
        await expect(cache.invalidateTag('tag')).rejects.toMatchObject(storeClosed)
      })

      it('can be closed twice', async () => {
        const cache = await open()
        await cache.close()
        await expect(cache.close()).resolves.toBeUndefined()
      })
    })
  })
}
