import { isJunctionError } from '@junction/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { conditionsOf, parseEncodedQuery } from '../testing/encoded-query-parser.js'
import { buildEncodedQuery, encodedCondition, encodedQueryValue, rawEncodedQuery } from './encoded-query.js'
import { encodedQuery } from './encoded-query-builder.js'

const PASSABLE = [
  "O'Neil",
  'say "hi"',
  'C:\\temp\\',
  'line\nbreak\r\n',
  'a=b',
  'x@z',
  '100%_',
  "' OR 1=1 --",
  'NQ',
  'ORDERBYx',
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

  it('translates every portable operator', () => {
    expect(
      buildEncodedQuery({
        priority: { gt: 1, lte: 3, ne: 2 },
        state: { in: [1, 2], notIn: [6] },
        short_description: { contains: 'vpn', startsWith: 'Net' },
        opened_at: { gte: new Date('2024-03-05T00:00:00Z') },
      }),
    ).toEqual([
      'priority>1',
      'priority<=3',
      'priority!=2',
      'stateIN1,2',
      'stateNOT IN6',
      'short_descriptionLIKEvpn',
      'short_descriptionSTARTSWITHNet',
      'opened_at>=2024-03-05 00:00:00',
    ])
  })

  it('matches null and empty strings with ISEMPTY, and their negation with ISNOTEMPTY', () => {
    expect(buildEncodedQuery({ assigned_to: null, close_code: '', company: { ne: null } })).toEqual([
      'assigned_toISEMPTY',
      'close_codeISEMPTY',
      'companyISNOTEMPTY',
    ])
  })

  it('rejects a field name that could smuggle in a clause or an operator', () => {
    expect(() => buildEncodedQuery({ 'active=true^NQsys_id': 'x' })).toThrow(validation)
    expect(() => buildEncodedQuery({ stateIN: 'x' })).toThrow(validation)
  })

  it('refuses an IN item holding a comma, which would split into two items', () => {
    expect(() => buildEncodedQuery({ state: { in: ['1,2'] } })).toThrow(validation)
  })

  it('refuses SQL-style like, which has no faithful translation', () => {
    let caught: unknown
    try {
      buildEncodedQuery({ number: { like: 'INC%' } })
    } catch (error) {
      caught = error
    }
    expect(isJunctionError(caught, 'NOT_SUPPORTED')).toBe(true)
  })

  it.each(PASSABLE)('round-trips %j through the simulator parser unchanged', (value) => {
    const parsed = parseEncodedQuery(
      [...buildEncodedQuery({ short_description: value, active: true }), 'ORDERBYsys_id'].join('^'),
    )
    expect(conditionsOf(parsed)).toEqual([
      { field: 'short_description', operator: '=', value },
      { field: 'active', operator: '=', value: 'true' },
    ])
  })
})

const OPERATORS = ['=', '!=', '>', '>=', '<', '<=', 'LIKE', 'NOT LIKE', 'STARTSWITH', 'ENDSWITH'] as const
const field = fc.constantFrom('number', 'short_description', 'caller_id.email', 'u_custom_1')
const anyText = fc.string({ unit: 'binary', maxLength: 40 })

describe('no value can add a clause (property)', () => {
  it('a condition is either refused or parses back as exactly one condition with the same field, operator and value', () => {
    fc.assert(
      fc.property(field, fc.constantFrom(...OPERATORS), anyText, (name, operator, value) => {
        let text: string
        try {
          text = encodedCondition(name, operator, value)
        } catch (error) {
          expect(isJunctionError(error, 'VALIDATION_FAILED')).toBe(true)
          expect(value.includes('^') || /^\s*javascript:/i.test(value)).toBe(true)
          return
        }
        const parsed = parseEncodedQuery(`${text}^active=true`)
        expect(parsed.orderBy).toEqual([])
        expect(parsed.groups).toEqual([
          [[{ field: name, operator, value }], [{ field: 'active', operator: '=', value: 'true' }]],
        ])
      }),
      { numRuns: 2000 },
    )
  })

  it('values with the separator, ^NQ, ^OR or ORDERBY embedded are always refused', () => {
    const hostile = fc
      .tuple(anyText, fc.constantFrom('^', '^NQ', '^OR', '^ORDERBY', '^EQ'), anyText)
      .map(([before, token, after]) => `${before}${token}${after}`)
    fc.assert(
      fc.property(field, fc.constantFrom(...OPERATORS), hostile, (name, operator, value) => {
        expect(() => encodedCondition(name, operator, value)).toThrow(validation)
      }),
    )
  })

  it('an IN list parses back as one condition whose items are the values, or is refused', () => {
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 5 }), (values) => {
        let text: string
        try {
          text = encodedCondition('state', 'IN', values)
        } catch (error) {
          expect(isJunctionError(error, 'VALIDATION_FAILED')).toBe(true)
          expect(values.some((value) => /[\^,]/.test(value) || /^\s*javascript:/i.test(value))).toBe(true)
          return
        }
        const conditions = conditionsOf(parseEncodedQuery(text))
        expect(conditions).toHaveLength(1)
        expect(conditions[0]?.value.split(',')).toEqual(values)
      }),
    )
  })

  it('a portable where of any values keeps its number of conditions', () => {
    const literal = fc.oneof(
      anyText,
      fc.integer(),
      fc.boolean(),
      fc.date({ noInvalidDate: true, min: new Date(0) }),
    )
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('number', 'state', 'category', 'short_description'), literal),
        (where) => {
          let parts: string[]
          try {
            parts = buildEncodedQuery(where)
          } catch (error) {
            expect(isJunctionError(error, 'VALIDATION_FAILED')).toBe(true)
            return
          }
          expect(conditionsOf(parseEncodedQuery(parts.join('^')))).toHaveLength(Object.keys(where).length)
        },
      ),
    )
  })
})

describe('encodedQuery builder', () => {
  it('writes ^OR, ^NQ and sort keys', () => {
    const text = encodedQuery()
      .where('active', '=', true)
      .or('priority', 'IN', [1, 2])
      .and('assigned_to', 'ISEMPTY')
      .newQuery()
      .where('state', '=', 6)
      .orderBy('number')
      .orderBy('sys_created_on', 'desc').text
    expect(text).toBe(
      'active=true^ORpriorityIN1,2^assigned_toISEMPTY^NQstate=6^ORDERBYnumber^ORDERBYDESCsys_created_on',
    )
  })

  it('parses back into the groups it was built from', () => {
    const parsed = parseEncodedQuery(
      encodedQuery().where('a', '=', 'x').or('b', '=', 'y').newQuery().where('c', 'LIKE', 'z').text,
    )
    expect(parsed.groups).toEqual([
      [
        [
          { field: 'a', operator: '=', value: 'x' },
          { field: 'b', operator: '=', value: 'y' },
        ],
      ],
      [[{ field: 'c', operator: 'LIKE', value: 'z' }]],
    ])
  })

  it('refuses or() and newQuery() with nothing before them', () => {
    expect(() => encodedQuery().or('a', '=', 1)).toThrow(validation)
    expect(() => encodedQuery().newQuery()).toThrow(validation)
  })

  it('guards its values like the portable where does', () => {
    expect(() => encodedQuery().where('number', '=', 'x^NQactive=true')).toThrow(validation)
  })
})

describe('rawEncodedQuery', () => {
  it('passes a raw encoded query through, the explicit escape hatch', () => {
    expect(rawEncodedQuery({ text: 'active=true^priority<=2^NQstate=6' })).toBe(
      'active=true^priority<=2^NQstate=6',
    )
  })

  it('refuses params, which the dialect cannot bind safely', () => {
    expect(() => rawEncodedQuery({ text: 'number=:n', params: { n: 'INC1' } })).toThrow(validation)
  })
})
