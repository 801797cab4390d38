import { describe, expect, it } from 'vitest'
import { sapMessages } from './sap-messages.js'

describe('sapMessages', () => {
  it('reads the V2 sap-message object with its details', () => {
    const header = JSON.stringify({
      code: 'MIGO/012',
      message: 'Material document posted',
      severity: 'info',
      details: [{ code: '', message: 'Check the date', severity: 'warning' }],
    })
    expect(sapMessages({ 'sap-message': header })).toEqual([
      'info MIGO/012: Material document posted',
      'warning: Check the date',
    ])
  })

  it('reads the V4 sap-messages array with numeric severities', () => {
    const header = JSON.stringify([{ code: 'PO_APPROVAL', message: 'Needs approval', numericSeverity: 3 }])
    expect(sapMessages({ 'sap-messages': header })).toEqual(['warning PO_APPROVAL: Needs approval'])
  })

  it('keeps a header that is not JSON as it is, and nothing when there is none', () => {
    expect(sapMessages({ 'sap-message': 'plain text' })).toEqual(['plain text'])
    expect(sapMessages({})).toEqual([])
  })
})
