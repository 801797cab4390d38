import { describe, expect, it } from 'vitest'
import { buildMultipartBatch, parseMultipartBatch } from './multipart-batch.js'

// The answer of sheet §4.2: a retrieve part, then a failed changeset as ONE error part.
const ANSWER = [
  '--srvB',
  'Content-Type: application/http',
  'content-transfer-encoding: binary',
  '',
  'HTTP/1.1 200 OK',
  'Content-Type: application/json',
  'dataserviceversion: 2.0',
  '',
  '{"d":{"SalesOrder":"4711"}}',
  '--srvB',
  'Content-Type: multipart/mixed; boundary=srvC',
  '',
  '--srvC',
  'Content-Type: application/http',
  '',
  'HTTP/1.1 201 Created',
  'Content-Type: application/json',
  "location: https://host/A_SalesOrder('4712')",
  '',
  '{"d":{"SalesOrder":"4712"}}',
  '--srvC',
  'Content-Type: application/http',
  '',
  'HTTP/1.1 204 No Content',
  '',
  '',
  '--srvC--',
  '',
  '--srvB',
  'Content-Type: application/http',
  '',
  'HTTP/1.1 400 Bad Request',
  'Content-Type: application/json',
  'dataserviceversion: 1.0',
  '',
  '{"error":{"code":"ZSD/014","message":{"lang":"en","value":"Sold-to party 99999 does not exist"}}}',
  '--srvB--',
  '',
]

describe('parseMultipartBatch', () => {
  it('reads retrieve parts, changesets and a failed changeset as one error part', () => {
    const groups = parseMultipartBatch(ANSWER.join('\r\n'), 'multipart/mixed; boundary=srvB')
    expect(groups).toEqual([
      [
        {
          status: 200,
          headers: { 'content-type': 'application/json', dataserviceversion: '2.0' },
          body: { d: { SalesOrder: '4711' } },
        },
      ],
      [
        {
          status: 201,
          headers: { 'content-type': 'application/json', location: "https://host/A_SalesOrder('4712')" },
          body: { d: { SalesOrder: '4712' } },
        },
        { status: 204, headers: {}, body: undefined },
      ],
      [
        {
          status: 400,
          headers: { 'content-type': 'application/json', dataserviceversion: '1.0' },
          body: {
            error: { code: 'ZSD/014', message: { lang: 'en', value: 'Sold-to party 99999 does not exist' } },
          },
        },
      ],
    ])
  })

  it('reads an answer written with bare LF line ends the same way', () => {
    const crlf = parseMultipartBatch(ANSWER.join('\r\n'), 'multipart/mixed; boundary=srvB')
    expect(parseMultipartBatch(ANSWER.join('\n'), 'multipart/mixed; boundary="srvB"')).toEqual(crlf)
  })

  it('refuses an answer without a boundary', () => {
    expect(() => parseMultipartBatch('x', 'multipart/mixed')).toThrow(
      expect.objectContaining({ code: 'MALFORMED_RESPONSE' }),
    )
  })
})

describe('buildMultipartBatch', () => {
  it('writes changesets with Content-IDs, CRLF line ends and one-line JSON bodies', () => {
    const { body, contentType } = buildMultipartBatch([
      {
        kind: 'single',
        part: {
          contentId: '1',
          method: 'GET',
          url: "A_SalesOrder('4711')",
          headers: { accept: 'application/json' },
        },
      },
      {
        kind: 'changeset',
        parts: [
          {
            contentId: '2',
            method: 'POST',
            url: 'A_SalesOrder',
            headers: { 'content-type': 'application/json' },
            body: { A: 'x\ny' },
          },
        ],
      },
    ])
    const boundary = /boundary=(\S+)/.exec(contentType)?.[1] as string
    expect(boundary).toMatch(/^batch_[0-9a-f-]{36}$/)
    expect(body).not.toMatch(/[^\r]\n/)
    expect(body).toContain("GET A_SalesOrder('4711') HTTP/1.1\r\naccept: application/json\r\n")
    expect(body).toContain(
      'Content-ID: 2\r\n\r\nPOST A_SalesOrder HTTP/1.1\r\ncontent-type: application/json\r\n\r\n{"A":"x\\ny"}\r\n--changeset_',
    )
    expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true)
  })
})
