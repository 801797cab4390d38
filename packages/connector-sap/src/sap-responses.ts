import { type EntityRecord, expectBody, headerValue, type JunctionResponse } from '@junction/core'
import { z } from 'zod'
import type { ODataVersion } from './metadata/service-metadata.js'

const entity = z.record(z.string(), z.unknown())
// Pages hold up to 5,000 entities: each is checked to be an object, its fields are read by `$metadata`.
const entities = z.array(
  z.custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'expected an entity object',
  ),
)

const v2Entity = z.object({
  d: z.union([z.object({ results: entity }).transform(({ results }) => results), entity]),
})
const v2Collection = z.object({
  d: z.object({
    results: entities,
    __next: z.string().optional(),
    __count: z.string().regex(/^\d+$/).optional(),
  }),
})
const v4Collection = z.object({
  value: entities,
  '@odata.nextLink': z.string().optional(),
  '@odata.count': z.union([z.number(), z.string().regex(/^\d+$/)]).optional(),
})

/** One page of a collection, whichever the protocol version. */
export interface CollectionPage {
  results: EntityRecord[]
  next: string | undefined
  count: number | undefined
}

const etags = new WeakMap<EntityRecord, string>()

/**
 * The ETag of a record this connector read (V2 `__metadata.etag`, V4 `@odata.etag`, or the `etag`
 * header of a single GET), to pass back as `RecordUpdate.etag`; `undefined` for records of sets
 * without concurrency control. Records stay plain field maps: the ETag is kept beside them.
 */
export function etagOf(record: EntityRecord): string | undefined {
  return etags.get(record)
}

/** Remembers a record's ETag for {@link etagOf}. */
export function rememberEtag(record: EntityRecord, etag: string | undefined): void {
  if (etag !== undefined) etags.set(record, etag)
}

/** A single-entity answer's raw entity and ETag (body first, then the `etag` header). */
export function readEntity(
  response: JunctionResponse,
  version: ODataVersion,
): { raw: EntityRecord; etag: string | undefined } {
  const raw =
    version === 'v2'
      ? expectBody(v2Entity, response, shape(version)).d
      : expectBody(entity, response, shape(version))
  return { raw, etag: rawEtag(raw) ?? headerValue(response.headers, 'etag') }
}

/** A collection answer's page: entities, the next link and the inline count. */
export function readCollection(response: JunctionResponse, version: ODataVersion): CollectionPage {
  if (version === 'v2') {
    const { d } = expectBody(v2Collection, response, shape(version))
    return {
      results: d.results,
      next: d.__next,
      count: d.__count === undefined ? undefined : Number(d.__count),
    }
  }
  const body = expectBody(v4Collection, response, shape(version))
  const count = body['@odata.count']
  return {
    results: body.value,
    next: body['@odata.nextLink'],
    count: count === undefined ? undefined : Number(count),
  }
}

/** The ETag inside a raw entity: V2 `__metadata.etag`, V4 `@odata.etag`. */
export function rawEtag(raw: EntityRecord): string | undefined {
  const metadata = raw.__metadata
  const v2 =
    typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>).etag : undefined
  const etag = v2 ?? raw['@odata.etag']
  return typeof etag === 'string' ? etag : undefined
}

/**
 * An entity as a plain field map: `__metadata`, `@odata.*` annotations and deferred navigation links
 * are protocol, not data. Expanded navigation stays, its entities stripped the same way (a V2
 * to-many expansion `{results: […]}` becomes a plain array).
 */
export function toFields(raw: Readonly<Record<string, unknown>>): EntityRecord {
  const record: EntityRecord = {}
  for (const name in raw) {
    const value = raw[name]
    if (name === '__metadata' || name.startsWith('@odata.') || isDeferred(value)) continue
    record[name] = expanded(value)
  }
  return record
}

function expanded(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expanded)
  if (typeof value !== 'object' || value === null) return value
  const results = (value as Record<string, unknown>).results
  if (Array.isArray(results)) return results.map(expanded)
  if ('__metadata' in value) return toFields(value as Record<string, unknown>)
  return value
}

function isDeferred(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '__deferred' in value
}

function shape(version: ODataVersion) {
  return { system: 'sap', shape: version === 'v2' ? 'a V2 JSON envelope' : 'a V4 JSON payload' }
}
