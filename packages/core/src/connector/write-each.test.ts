import { describe, expect, it } from 'vitest'
import { JunctionError } from '../errors/junction-error.js'
import { writeEach } from './write-each.js'

describe('writeEach', () => {
  it('reports one result per item, in order, with its index', async () => {
    const results = await writeEach(['a', 'b'], async (item) => ({ ok: true, id: item.toUpperCase() }))
    expect(results).toEqual([
      { ok: true, index: 0, id: 'A' },
      { ok: true, index: 1, id: 'B' },
    ])
  })

  it('turns a typed error into that item’s failure and carries on', async () => {
    const refused = new JunctionError({ code: 'VALIDATION_FAILED', message: 'no' })
    const results = await writeEach([1, 2, 3], async (item) => {
      if (item === 2) throw refused
      return { ok: true, id: String(item) }
    })
    expect(results.map((result) => result.ok)).toEqual([true, false, true])
    expect(results[1]).toEqual({ ok: false, index: 1, error: refused })
  })

  it('lets an untyped error (a bug) propagate', async () => {
    await expect(writeEach([1], async () => Promise.reject(new TypeError('bug')))).rejects.toThrow(TypeError)
  })
})
