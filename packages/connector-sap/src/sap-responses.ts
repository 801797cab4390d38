import { type EntityRecord, expectBody, type JunctionResponse } from '@junction/core'
import { z } from 'zod'

const entity = z.record(z.string(), z.unknown())

/** A V2 single-entity answer: `{"d": {…}}` (the SDK also tolerates `{"d": {"results": {…}}}`). */
export const entityEnvelopeSchema = z.object({
  d: z.union([z.object({ results: entity }).transform(({ results }) => results), entity]),
})

/** A V2 collection answer: `{"d": {"results": […], "__next": "…"}}`; a missing `__next` ends the window. */
export const collectionEnvelopeSchema = z.object({
  d: z.object({ results: z.array(entity), __next: z.string().optional() }),
})

/**
 * An entity as a plain field map. `__metadata` (uri, type, etag) and deferred navigation links are
 * protocol, not data: records feed transformers and identity matching, which should see fields only.
 * The ETag returns with update support, which reads it from the `etag` header of a single GET.
 */
export function toRecord(raw: Readonly<Record<string, unknown>>): EntityRecord {
  const record: EntityRecord = {}
  for (const [name, value] of Object.entries(raw)) {
    if (name === '__metadata' || isDeferred(value)) continue
    record[name] = value
  }
  return record
}

function isDeferred(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '__deferred' in value
}

/** The response body checked against `schema`; a body of another shape is a `MALFORMED_RESPONSE`. */
export function readBody<S extends z.ZodType>(schema: S, response: JunctionResponse): z.output<S> {
  return expectBody(schema, response, { system: 'sap', shape: 'a V2 JSON envelope' })
}
