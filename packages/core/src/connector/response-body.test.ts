import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { TransportError } from '../errors/error-kinds.js'
import { expectBody } from './response-body.js'

const schema = z.object({ result: z.array(z.object({ id: z.string() })) })
const expected = { system: 'demo', shape: 'a result envelope' }

describe('expectBody', () => {
  it('returns the parsed body when it has the expected shape', () => {
    const body = { result: [{ id: 'a' }] }
    expect(expectBody(schema, { status: 200, headers: {}, body, url: 'https://x.test' }, expected)).toEqual(
      body,
    )
  })

  it('throws MALFORMED_RESPONSE naming the system, status and mismatched paths', () => {
    try {
      expectBody(schema, { status: 200, headers: {}, body: '<html>', url: 'https://x.test' }, expected)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(TransportError)
      expect(error).toMatchObject({ code: 'MALFORMED_RESPONSE', system: 'demo', status: 200 })
      expect((error as TransportError).message).toBe(
        'demo answered 200 with a body that is not a result envelope',
      )
    }
  })
})
