import { describe, expect, it } from 'vitest'
import { ConflictError } from '../errors/error-kinds.js'
import { assertApplied, invertChanges, toEntity } from './identity-link.js'

describe('assertApplied', () => {
  it('returns for an applied result', () => {
    expect(() => assertApplied({ ok: true, applied: [] })).not.toThrow()
  })

  it('throws a ConflictError naming both claimants of each contested id', () => {
    const conflicts = [{ ref: { system: 'crm', id: '001A' }, heldBy: 'cust-1', claimedBy: 'cust-2' }]
    let thrown: unknown
    try {
      assertApplied({ ok: false, conflicts })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ConflictError)
    expect(thrown).toMatchObject({
      code: 'CONFLICT',
      message: 'identity conflict: crm id 001A is held by cust-1, claimed for cust-2',
      details: conflicts,
    })
  })
})

describe('invertChanges', () => {
  it('swaps from and to of every change, keeping the order', () => {
    const ref = (id: string) => ({ system: 'crm', id })
    expect(
      invertChanges([
        { ref: ref('1'), from: 'a', to: 'b' },
        { ref: ref('2'), from: undefined, to: 'b' },
      ]),
    ).toEqual([
      { ref: ref('1'), from: 'b', to: 'a' },
      { ref: ref('2'), from: 'b', to: undefined },
    ])
  })
})

describe('toEntity', () => {
  it('puts the first id of each system in ids', () => {
    const entity = toEntity('cust-1', [
      { system: 'crm', id: '1' },
      { system: 'crm', id: '2' },
      { system: 'erp', id: '9' },
    ])
    expect(entity.ids).toEqual({ crm: '1', erp: '9' })
  })
})
