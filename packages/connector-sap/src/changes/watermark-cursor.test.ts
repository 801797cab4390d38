import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor, Watermark } from './watermark-cursor.js'

describe('Watermark', () => {
  it('reports a key once per change time and again when it changes later', () => {
    const mark = new Watermark({ v: 1, at: 0, recent: [] }, 100)
    expect([mark.see('a', 1000), mark.see('a', 1000), mark.see('a', 1500)]).toEqual([true, false, true])
  })

  it('takes late changes inside the overlap and forgets keys that fall out of it', () => {
    const mark = new Watermark({ v: 1, at: 0, recent: [] }, 100)
    mark.see('a', 1000)
    expect(mark.see('b', 950)).toBe(true)
    mark.see('c', 2000)
    expect(mark.cursor()).toEqual({ v: 1, at: 2000, recent: [['c', 2000]] })
    expect(mark.see('d', 1800)).toBe(false)
  })

  it('round-trips through its text form', () => {
    const cursor = { v: 1 as const, at: 5, recent: [['k', 5]] as [string, number][] }
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor)
  })
})
