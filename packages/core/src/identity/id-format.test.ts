import { describe, expect, it } from 'vitest'
import { exactIdFormat, salesforceIdFormat, sapKeyFormat, serviceNowSysIdFormat } from './id-format.js'

describe('salesforceIdFormat', () => {
  it.each([
    ['001000000000001', '001000000000001AAA'],
    ['001000000000001AAA', '001000000000001AAA'],
    ['001000000000001aaa', '001000000000001AAA'],
    ['  001000000000001  ', '001000000000001AAA'],
    ['00Q5g00000AbCdE', '00Q5g00000AbCdEEAV'],
    ['00q5G00000aBcDeEAV', '00Q5g00000AbCdEEAV'],
  ])('keys %j as %j', (id, key) => {
    expect(salesforceIdFormat(id)).toBe(key)
  })

  it.each([['001'], ['001000000000001AA'], ['00100000000000-'], ['0010000000000011!!']])(
    'rejects %j with a ValidationError',
    (id) => {
      expect(() => salesforceIdFormat(id)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }))
    },
  )

  it('keeps two 15-character ids that differ only in case apart', () => {
    expect(salesforceIdFormat('001000000000abc')).not.toBe(salesforceIdFormat('001000000000ABC'))
  })
})

describe('sapKeyFormat', () => {
  it.each([
    ['1000123', '1000123'],
    ['0001000123', '1000123'],
    [' 0000000000 ', '0'],
    ['cust-a1 ', 'CUST-A1'],
  ])('keys %j as %j', (id, key) => {
    expect(sapKeyFormat(id)).toBe(key)
  })
})

describe('serviceNowSysIdFormat', () => {
  it('lower-cases a sys_id', () => {
    expect(serviceNowSysIdFormat(' C0FFEE00AA11BB22CC33DD44EE55FF66')).toBe(
      'c0ffee00aa11bb22cc33dd44ee55ff66',
    )
  })

  it('rejects a value that is not 32 hex characters', () => {
    expect(() => serviceNowSysIdFormat('INC0010001')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })
})

describe('exactIdFormat', () => {
  it('trims and keeps case', () => {
    expect(exactIdFormat(' Ab-1 ')).toBe('Ab-1')
  })
})
