import { describe, expect, it } from 'vitest'
import { bindSoql, buildSoql, soqlLiteral } from './soql.js'
import { parseSoql } from './testing/soql-parser.js'

const HOSTILE = [
  "O'Brien",
  "x' OR Name != '",
  'back\\slash',
  "trailing backslash \\' OR Id != '",
  '\\\\',
  'line\nbreak\r\ncarriage',
  'tab\tbell\u0007form\ffeed\bback',
  'say "hi"',
  '%_ wildcard-ish',
  "' ; DELETE",
]

describe('soqlLiteral', () => {
  it('escapes a quote with a backslash', () => {
    expect(soqlLiteral("O'Brien")).toBe("'O\\'Brien'")
  })

  it('escapes a backslash before a quote, so a value cannot close the literal', () => {
    expect(soqlLiteral("\\' OR Id != '")).toBe("'\\\\\\' OR Id != \\''")
  })

  it('writes newlines, tabs and other control characters as escapes', () => {
    expect(soqlLiteral('a\nb\rc\td\be\ff\u0007g"h')).toBe("'a\\nb\\rc\\td\\be\\ff\\u0007g\\\"h'")
  })

  it('writes numbers bare and without exponent notation', () => {
    expect(soqlLiteral(42)).toBe('42')
    expect(soqlLiteral(1e21)).toBe('1000000000000000000000')
    expect(soqlLiteral(1.5e-7)).toBe('0.00000015')
  })

  it('writes booleans and null bare', () => {
    expect([soqlLiteral(true), soqlLiteral(false), soqlLiteral(null)]).toEqual(['true', 'false', 'null'])
  })

  it('writes dates as unquoted UTC datetime literals', () => {
    expect(soqlLiteral(new Date('2024-05-01T10:20:30Z'))).toBe('2024-05-01T10:20:30Z')
  })

  it('rejects numbers that are not finite', () => {
    expect(() => soqlLiteral(Number.NaN)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }))
  })

  it.each(HOSTILE)('round-trips %j through startsWith, matching it literally', (value) => {
    const parsed = parseSoql(buildSoql('Account', { where: { Name: { startsWith: value } } }))
    const escapedWildcards = value.replace(/[%_]/g, (char) => `\\${char}`)
    expect(parsed.where).toEqual({
      kind: 'compare',
      field: 'Name',
      operator: 'LIKE',
      value: `${escapedWildcards}%`,
    })
  })

  it.each(HOSTILE)('round-trips %j through the simulator parser unchanged', (value) => {
    const parsed = parseSoql(buildSoql('Account', { where: { Name: value } }))
    expect(parsed.where).toEqual({ kind: 'compare', field: 'Name', operator: '=', value })
  })
})

describe('buildSoql', () => {
  it('builds the select list, equality conditions, order and limit', () => {
    const soql = buildSoql('Account', {
      select: ['Id', 'Name', 'Owner.Email'],
      where: { Industry: 'Banking', NumberOfEmployees: { eq: 120 }, IsDeleted: false },
      orderBy: [{ field: 'Name' }, { field: 'CreatedDate', direction: 'desc' }],
      limit: 10,
    })
    expect(soql).toBe(
      "SELECT Id, Name, Owner.Email FROM Account WHERE Industry = 'Banking' AND NumberOfEmployees = 120 AND IsDeleted = false ORDER BY Name ASC, CreatedDate DESC LIMIT 10",
    )
  })

  it('selects Id when no fields are given', () => {
    expect(buildSoql('Lead', {})).toBe('SELECT Id FROM Lead')
  })

  it('rejects a field name that is not an API name', () => {
    expect(() => buildSoql('Account', { where: { "Name = 'x' OR Name": 'y' } })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })

  it('rejects an entity name that is not an API name', () => {
    expect(() => buildSoql('Account WHERE Id != null', {})).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })

  it('writes every comparison operator', () => {
    const soql = buildSoql('Account', {
      where: {
        NumberOfEmployees: { gt: 5, lte: 50 },
        Name: { ne: null },
        Industry: { in: ['Banking', "O'Reilly"] },
        Rating: { notIn: ['Cold'] },
        AnnualRevenue: { gte: 1.5, lt: 1e21 },
      },
    })
    expect(soql).toBe(
      "SELECT Id FROM Account WHERE NumberOfEmployees > 5 AND NumberOfEmployees <= 50 AND Name != null AND Industry IN ('Banking', 'O\\'Reilly') AND Rating NOT IN ('Cold') AND AnnualRevenue >= 1.5 AND AnnualRevenue < 1000000000000000000000",
    )
  })

  it('escapes % and _ inside startsWith and contains, after the backslash and the quote', () => {
    const soql = buildSoql('Account', { where: { Name: { startsWith: "50%_off\\'", contains: 'a_b' } } })
    expect(soql).toBe("SELECT Id FROM Account WHERE Name LIKE '50\\%\\_off\\\\\\'%' AND Name LIKE '%a\\_b%'")
  })

  it('keeps % and _ as wildcards in a like pattern the caller wrote', () => {
    expect(buildSoql('Account', { where: { Name: { like: "Ac_e%'" } } })).toBe(
      "SELECT Id FROM Account WHERE Name LIKE 'Ac_e%\\''",
    )
  })

  it('writes a Date compared with a date field as an unquoted date literal', () => {
    const soql = buildSoql(
      'Account',
      {
        where: {
          SLAExpirationDate__c: { lt: new Date('2024-05-01T23:00:00Z') },
          CreatedDate: new Date('2024-05-01T10:20:30Z'),
        },
      },
      { dateFields: new Set(['SLAExpirationDate__c']) },
    )
    expect(soql).toBe(
      'SELECT Id FROM Account WHERE SLAExpirationDate__c < 2024-05-01 AND CreatedDate = 2024-05-01T10:20:30Z',
    )
  })

  it('refuses an empty IN list', () => {
    expect(() => buildSoql('Account', { where: { Name: { in: [] } } })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })

  it('rejects a limit that is not a positive integer', () => {
    expect(() => buildSoql('Account', { limit: 0 })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })
})

describe('bindSoql', () => {
  it('replaces :name parameters with escaped literals', () => {
    const soql = bindSoql({
      text: 'SELECT Id FROM Contact WHERE LastName = :name AND CreatedDate > :since',
      params: { name: "O'Brien\\", since: new Date('2024-01-01T00:00:00Z') },
    })
    expect(soql).toBe(
      "SELECT Id FROM Contact WHERE LastName = 'O\\'Brien\\\\' AND CreatedDate > 2024-01-01T00:00:00Z",
    )
  })

  it('leaves :words inside string literals alone', () => {
    const soql = bindSoql({
      text: "SELECT Id FROM Case WHERE Subject = 'at :noon \\' :x' AND Status = :s",
      params: { s: 'New' },
    })
    expect(soql).toBe("SELECT Id FROM Case WHERE Subject = 'at :noon \\' :x' AND Status = 'New'")
  })

  it('keeps date-literal suffixes such as LAST_N_DAYS:30', () => {
    expect(bindSoql({ text: 'SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS:30' })).toBe(
      'SELECT Id FROM Lead WHERE CreatedDate = LAST_N_DAYS:30',
    )
  })

  it('rejects a parameter that is not in params', () => {
    expect(() => bindSoql({ text: 'SELECT Id FROM Lead WHERE Email = :email' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })

  it('rejects params the text never uses', () => {
    expect(() => bindSoql({ text: 'SELECT Id FROM Lead', params: { email: 'a@b.co' } })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })

  it('binds a hostile value so the simulator parser reads it back unchanged', () => {
    const value = "x\\' OR Name != '\n"
    const parsed = parseSoql(
      bindSoql({ text: 'SELECT Id FROM Account WHERE Name = :v', params: { v: value } }),
    )
    expect(parsed.where).toEqual({ kind: 'compare', field: 'Name', operator: '=', value })
  })
})
