import { isJunctionError } from '@junction/core'
import { describe, expect, it } from 'vitest'
import { buildEncodedQuery, encodedQueryValue, rawEncodedQuery } from './encoded-query.js'
import { parseEncodedQuery } from './testing/encoded-query-parser.js'

const PASSABLE = [
  "O'Neil",
  'say "hi"',
  'C:\\temp\\',
  'line\nbreak\r\n',
  'a=b',
  'x,y@z',
  '100%_',
  "' OR 1=1 --",
]
const validation = expect.objectContaining({ code: 'VALIDATION_FAILED' })

describe('encodedQueryValue', () => {
  it.each(PASSABLE)('passes %j through unchanged, since the dialect has no quoting', (value) => {
    expect(encodedQueryValue(value)).toBe(value)
  })

  it.each(['a^b', 'x^NQactive=true', '^ORDERBYsys_id', 'trailing^'])(
    'refuses %j, which would add a clause',
    (value) => {
      expect(() => encodedQueryValue(value)).toThrow(validation)
    },
  )

  it.each(['javascript:gs.getUserID()', '  JavaScript:1'])(
    'refuses %j, which the instance would evaluate',
    (value) => {
      expect(() => encodedQueryValue(value)).toThrow(validation)
    },
  )

  it('writes dates as UTC date-times, the form values are stored in', () => {
    expect(encodedQueryValue(new Date('2024-03-05T14:02:11.999Z'))).toBe('2024-03-05 14:02:11')
  })

  it('writes numbers and booleans as text', () => {
    expect([encodedQueryValue(3), encodedQueryValue(1e21), encodedQueryValue(true)]).toEqual([
      '3',
      '1000000000000000000000',
      'true',
    ])
  })
})

describe('buildEncodedQuery', () => {
  it('joins equality conditions with ^', () => {
    expect(buildEncodedQuery({ active: true, priority: 1, category: { eq: 'network' } }).join('^')).toBe(
      'active=true^priority=1^category=network',
    )
  })

  it('matches null and empty strings with ISEMPTY', () => {
    expect(buildEncodedQuery({ assigned_to: null, close_code: '' })).toEqual([
      'assigned_toISEMPTY',
      'close_codeISEMPTY',
    ])
  })

  it('rejects a field name that could smuggle in a clause', () => {
    expect(() => buildEncodedQuery({ 'active=true^NQsys_id': 'x' })).toThrow(validation)
  })

  it('refuses operators other than equality as not supported', () => {
    let caught: unknown
    try {
      buildEncodedQuery({ priority: { lt: 3 } })
    } catch (error) {
      caught = error
    }
    expect(isJunctionError(caught, 'NOT_SUPPORTED')).toBe(true)
  })

  it.each(PASSABLE)('round-trips %j through the simulator parser unchanged', (value) => {
    const parsed = parseEncodedQuery(
      [...buildEncodedQuery({ short_description: value, active: true }), 'ORDERBYsys_id'].join('^'),
    )
    expect(parsed.conditions).toEqual([
      { field: 'short_description', operator: '=', value },
      { field: 'active', operator: '=', value: 'true' },
    ])
  })
})

describe('rawEncodedQuery', () => {
  it('passes a raw encoded query through', () => {
    expect(rawEncodedQuery({ text: 'active=true^priority<=2' })).toBe('active=true^priority<=2')
  })

  it('refuses params, which the dialect cannot bind safely', () => {
    expect(() => rawEncodedQuery({ text: 'number=:n', params: { n: 'INC1' } })).toThrow(validation)
  })

  it('refuses ^NQ and ORDERBY, which would break keyset paging', () => {
    expect(() => rawEncodedQuery({ text: 'active=true^NQpriority=1' })).toThrow(validation)
    expect(() => rawEncodedQuery({ text: 'ORDERBYnumber' })).toThrow(validation)
  })
})
