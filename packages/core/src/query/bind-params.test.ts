import { describe, expect, it } from 'vitest'
import type { QueryLiteral } from '../connector/connector.js'
import { type BindDialect, bindParams } from './bind-params.js'

const quote = (value: QueryLiteral) => `'${String(value).replaceAll("'", "''")}'`
const doubled: BindDialect = { system: 'odata', literal: quote, quoteEscape: 'double' }
const backslashed: BindDialect = { system: 'soql', literal: quote, quoteEscape: 'backslash' }

describe('bindParams', () => {
  it('replaces each parameter with the dialect literal', () => {
    expect(
      bindParams(
        { text: 'Name eq :name and City eq :city', params: { name: "O'Neil", city: 'Köln' } },
        doubled,
      ),
    ).toBe("Name eq 'O''Neil' and City eq 'Köln'")
  })

  it('leaves a colon inside a quoted literal alone', () => {
    expect(bindParams({ text: "Note eq 'at :noon' and Id eq :id", params: { id: 7 } }, doubled)).toBe(
      "Note eq 'at :noon' and Id eq '7'",
    )
  })

  it('skips doubled quotes inside an OData literal', () => {
    expect(bindParams({ text: "Name eq 'it''s :x' or Id eq :id", params: { id: 1 } }, doubled)).toBe(
      "Name eq 'it''s :x' or Id eq '1'",
    )
  })

  it('skips backslash-escaped quotes inside a SOQL literal', () => {
    expect(bindParams({ text: "Name = 'it\\'s :x' OR Id = :id", params: { id: 1 } }, backslashed)).toBe(
      "Name = 'it\\'s :x' OR Id = '1'",
    )
  })

  it('rejects a parameter missing from params', () => {
    expect(() => bindParams({ text: 'Id eq :id' }, doubled)).toThrow(/uses :id, which is not in params/)
  })

  it('rejects a parameter that is never used', () => {
    expect(() => bindParams({ text: 'Id eq 1', params: { id: 1 } }, doubled)).toThrow(
      /not used in the text: id/,
    )
  })

  it('rejects an unterminated literal', () => {
    expect(() => bindParams({ text: "Name eq 'open", params: {} }, doubled)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })
})
