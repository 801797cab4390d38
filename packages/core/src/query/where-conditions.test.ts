import { describe, expect, it } from 'vitest'
import { unsupportedCondition, whereConditions } from './where-conditions.js'

describe('whereConditions', () => {
  it('reads a bare value as equality, null included', () => {
    expect(whereConditions({ Status: 'Open', Owner: null })).toEqual([
      { field: 'Status', operator: 'eq', value: 'Open' },
      { field: 'Owner', operator: 'eq', value: null },
    ])
  })

  it('reads a date as a value, not as an operator object', () => {
    const when = new Date('2026-01-01T00:00:00Z')
    expect(whereConditions({ CreatedDate: when })).toEqual([
      { field: 'CreatedDate', operator: 'eq', value: when },
    ])
  })

  it('turns each operator of an operator object into its own condition', () => {
    expect(whereConditions({ Amount: { gt: 1, lte: 5 }, Stage: { in: ['A', 'B'] } })).toEqual([
      { field: 'Amount', operator: 'gt', value: 1 },
      { field: 'Amount', operator: 'lte', value: 5 },
      { field: 'Stage', operator: 'in', value: ['A', 'B'] },
    ])
  })

  it('returns no conditions for a missing where', () => {
    expect(whereConditions(undefined)).toEqual([])
  })
})

describe('unsupportedCondition', () => {
  it('names the field and operator with a NOT_SUPPORTED code', () => {
    const error = unsupportedCondition('demo', { field: 'Name', operator: 'like', value: 'A%' })
    expect(error).toMatchObject({ code: 'NOT_SUPPORTED', system: 'demo' })
    expect(error.message).toContain('where.Name uses "like"')
  })
})
