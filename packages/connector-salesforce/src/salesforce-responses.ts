import { type EntityRecord, expectBody, type JunctionResponse } from '@junction/core'
import { z } from 'zod'

// Records are checked to be plain objects, not copied key by key: a query page holds 2,000 of them.
const record = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'must be a record object',
)

/** One page of `GET …/query` (sheet §3.2); `nextRecordsUrl` is present only while `done` is false. */
export const queryPageSchema = z.object({
  totalSize: z.number(),
  // jsforce tolerates `done` missing on an empty result (UNVERIFIED that Salesforce omits it).
  done: z.boolean().optional(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(record),
})

const recordErrorSchema = z
  .object({
    statusCode: z.string().optional(),
    errorCode: z.string().optional(),
    message: z.string(),
    fields: z.array(z.string()).optional(),
  })
  .loose()

/** A save result: single-record create, upsert (v46+ adds `created`) and each Collections entry (sheet §2.4, §4.4). */
export const saveResultSchema = z.object({
  id: z.string().nullish(),
  success: z.boolean(),
  created: z.boolean().optional(),
  errors: z.array(recordErrorSchema).default([]),
})

/** The array sObject Collections answers with, one entry per record in request order. */
export const saveResultsSchema = z.array(saveResultSchema)

/** `GET sobjects/{name}/describe`, the parts the connector reads. */
export const describeSchema = z
  .object({
    name: z.string(),
    fields: z.array(
      z.object({ name: z.string(), type: z.string(), externalId: z.boolean().optional() }).loose(),
    ),
  })
  .loose()

/** `GET limits`: every entry has `Max` and `Remaining` (some nest per-app entries, UNVERIFIED). */
export const limitsSchema = z.record(z.string(), z.object({ Max: z.number(), Remaining: z.number() }).loose())

/** `GET sobjects/{name}/updated` (sheet §8.5). */
export const updatedSchema = z.object({ ids: z.array(z.string()), latestDateCovered: z.string() })

/** `GET sobjects/{name}/deleted` (sheet §8.5). */
export const deletedSchema = z.object({
  deletedRecords: z.array(z.object({ id: z.string(), deletedDate: z.string() })),
  earliestDateAvailable: z.string(),
  latestDateCovered: z.string(),
})

/** A Bulk API 2.0 job (ingest or query), the fields the connector reads. */
export const jobInfoSchema = z
  .object({
    id: z.string(),
    state: z.string(),
    errorMessage: z.string().nullish(),
    numberRecordsProcessed: z.number().optional(),
    numberRecordsFailed: z.number().optional(),
  })
  .loose()

/** `POST composite`: one entry per subrequest. */
export const compositeResponseSchema = z.object({
  compositeResponse: z.array(
    z.object({
      body: z.unknown(),
      httpHeaders: z.record(z.string(), z.string()).default({}),
      httpStatusCode: z.number(),
      referenceId: z.string(),
    }),
  ),
})

/** A single record, as `GET sobjects/{entity}/{id}` returns it. */
export const recordSchema = record

/**
 * A record without Salesforce's `attributes` envelope (type and URL), here and in nested parent
 * records: callers know what they asked for, and transformers should see fields only.
 */
export function toRecord(raw: Readonly<Record<string, unknown>>): EntityRecord {
  const out: EntityRecord = {}
  // for…in over a parsed JSON object (own keys only, no prototype) allocates no entry pairs: this
  // runs once per record of every page.
  for (const field in raw) {
    if (field === 'attributes') continue
    const value = raw[field]
    out[field] = isNestedRecord(value) ? toRecord(value) : isChildResult(value) ? childResult(value) : value
  }
  return out
}

// A parent-to-child subquery's rows (`"Contacts": {totalSize, done, records}`): the envelope is kept
// (the query reader follows a `nextRecordsUrl` in it), its records lose `attributes` like any other.
function isChildResult(value: unknown): value is { records: Array<Record<string, unknown>> } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'records' in value &&
    'totalSize' in value &&
    Array.isArray((value as { records: unknown }).records)
  )
}

function childResult(value: { records: Array<Record<string, unknown>> }): EntityRecord {
  return { ...value, records: value.records.map((child) => toRecord(child)) }
}

function isNestedRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'attributes' in value
}

/** The response body checked against `schema`; a body of another shape is a `MALFORMED_RESPONSE`. */
export function readBody<S extends z.ZodType>(schema: S, response: JunctionResponse): z.output<S> {
  return expectBody(schema, response, { system: 'salesforce', shape: 'the shape this endpoint documents' })
}
