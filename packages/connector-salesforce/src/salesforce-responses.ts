import { type EntityRecord, expectBody, type JunctionResponse } from '@junction/core'
import { z } from 'zod'

const record = z.record(z.string(), z.unknown())

/** One page of `GET …/query` (sheet §3.2); `nextRecordsUrl` is present only while `done` is false. */
export const queryPageSchema = z.object({
  totalSize: z.number(),
  // jsforce tolerates `done` missing on an empty result (UNVERIFIED that Salesforce omits it).
  done: z.boolean().optional(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(record),
})

/** The answer to a single-record create: `{id, success, errors}` (sheet §2.4). */
export const saveResultSchema = z.object({
  id: z.string().optional(),
  success: z.boolean(),
  errors: z.array(z.object({ message: z.string(), statusCode: z.string().optional() }).loose()).default([]),
})

/** A single record, as `GET sobjects/{entity}/{id}` returns it. */
export const recordSchema = record

/**
 * A record without Salesforce's `attributes` envelope (type and URL), here and in nested parent
 * records: callers know what they asked for, and transformers should see fields only.
 */
export function toRecord(raw: Readonly<Record<string, unknown>>): EntityRecord {
  const out: EntityRecord = {}
  for (const [field, value] of Object.entries(raw)) {
    if (field === 'attributes') continue
    out[field] = isNestedRecord(value) ? toRecord(value) : value
  }
  return out
}

function isNestedRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'attributes' in value
}

/** The response body checked against `schema`; a body of another shape is a `MALFORMED_RESPONSE`. */
export function readBody<S extends z.ZodType>(schema: S, response: JunctionResponse): z.output<S> {
  return expectBody(schema, response, { system: 'salesforce', shape: 'the shape this endpoint documents' })
}
