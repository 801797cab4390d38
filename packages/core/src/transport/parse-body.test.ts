import { describe, expect, it } from 'vitest'
import type { JunctionRequest } from '../pipeline/request.js'
import { bodyKind, type ParseInput, parseBody } from './parse-body.js'

const request: JunctionRequest = { method: 'GET', url: 'https://x.test/a', headers: {} }
const input = (overrides: Partial<ParseInput>): ParseInput => ({
  bytes: Buffer.from(''),
  status: 200,
  contentType: 'application/json',
  responseType: 'auto',
  request,
  ...overrides,
})

describe('bodyKind', () => {
  it.each([
    ['application/json', 'json'],
    ['application/json;odata=verbose', 'json'],
    ['Application/JSON; charset=UTF-8', 'json'],
    ['application/vnd.api+json', 'json'],
    ['text/html; charset=utf-8', 'text'],
    ['application/xml', 'text'],
    ['application/atom+xml;type=feed', 'text'],
    ['multipart/mixed; boundary=batch_1', 'text'],
    ['application/pdf', 'binary'],
    [undefined, 'binary'],
  ] as const)('reads %s as %s', (contentType, kind) => {
    expect(bodyKind(contentType)).toBe(kind)
  })
})

describe('parseBody', () => {
  it('skips a UTF-8 byte order mark before JSON', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')])
    expect(parseBody(input({ bytes }))).toEqual({ a: 1 })
  })

  it('parses JSON without a content type when JSON is asked for', () => {
    expect(
      parseBody(input({ bytes: Buffer.from('[1]'), contentType: undefined, responseType: 'json' })),
    ).toEqual([1])
  })

  it('returns undefined for an empty body when JSON is asked for', () => {
    expect(parseBody(input({ responseType: 'json', contentType: 'text/html' }))).toBeUndefined()
  })

  it('returns an empty string for an empty body when text is asked for', () => {
    expect(parseBody(input({ responseType: 'text' }))).toBe('')
  })

  it('bounds the snippet of a malformed body to 512 characters', () => {
    const bytes = Buffer.from(`{"a":"${'x'.repeat(5_000)}`)
    expect(() => parseBody(input({ bytes }))).toThrow(
      expect.objectContaining({ code: 'MALFORMED_RESPONSE', snippet: `${bytes.toString().slice(0, 512)}…` }),
    )
  })
})
