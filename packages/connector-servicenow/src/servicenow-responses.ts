import { expectBody, headerValue, type JunctionResponse } from '@junction/core'
import { z } from 'zod'

const record = z.record(z.string(), z.unknown())

/** A single-record answer: `{"result": {…}}`. */
export const recordEnvelopeSchema = z.object({ result: record })

/** A list answer: `{"result": […]}`. */
export const listEnvelopeSchema = z.object({ result: z.array(record) })

/** The response body checked against `schema`; a body of another shape is a `MALFORMED_RESPONSE`. */
export function readBody<S extends z.ZodType>(
  schema: S,
  response: JunctionResponse,
  shape = 'a Table API envelope',
): z.output<S> {
  return expectBody(schema, response, { system: 'servicenow', shape })
}

/** `X-Total-Count` as a number, or undefined when the instance left it out. */
export function totalCount(response: JunctionResponse): number | undefined {
  const value = headerValue(response.headers, 'x-total-count')
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined
}

/** The target of `rel="next"` in a `Link` header (sheet §3.1: no spaces, `prev` may say offset -1). */
export function nextLink(response: JunctionResponse): URL | undefined {
  const header = headerValue(response.headers, 'link')
  if (header === undefined) return undefined
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;\s*rel="?([^";]+)"?/.exec(part)
    if (match?.[2] === 'next' && match[1]) return new URL(match[1])
  }
  return undefined
}
