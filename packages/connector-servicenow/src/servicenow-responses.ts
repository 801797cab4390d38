import { expectBody, type JunctionResponse } from '@junction/core'
import { z } from 'zod'

const record = z.record(z.string(), z.unknown())

/** A single-record answer: `{"result": {…}}`. */
export const recordEnvelopeSchema = z.object({ result: record })

/** A list answer: `{"result": […]}`. */
export const listEnvelopeSchema = z.object({ result: z.array(record) })

/** The response body checked against `schema`; a body of another shape is a `MALFORMED_RESPONSE`. */
export function readBody<S extends z.ZodType>(schema: S, response: JunctionResponse): z.output<S> {
  return expectBody(schema, response, { system: 'servicenow', shape: 'a Table API envelope' })
}
