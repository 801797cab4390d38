import {
  type EntityRecord,
  isJunctionError,
  type RecordId,
  type RecordUpdate,
  type WriteOptions,
  type WriteResult,
  writeEach,
} from '@junction/core'
import type { EntitySetInfo } from './metadata/service-metadata.js'
import { invalid, keyPredicate, keyText, propertyName } from './odata/odata-literal.js'
import { toWire } from './odata/wire-values.js'
import { runBatch } from './sap-batch.js'
import { entitySet, jsonBody, jsonHeaders, type SapContext } from './sap-context.js'
import { readEntity } from './sap-responses.js'
import { createdId, warnings } from './sap-write-outcome.js'

/**
 * Creates records one POST each (201 + `location` + the created entity, sheet §3.1), or with
 * `allOrNone` in one `$batch` changeset. Nested arrays are deep inserts. The id is the created
 * entity's key (server-assigned keys included); `sap-message` texts come back as warnings.
 */
export async function createEntities(
  ctx: SapContext,
  entity: string,
  records: readonly EntityRecord[],
  options: WriteOptions,
): Promise<WriteResult[]> {
  if (options.allOrNone === true)
    return runBatch(
      ctx,
      records.map((record) => ({ op: 'create', entity, record })),
      { atomic: true },
    )
  const set = await writableSet(ctx, entity, 'creatable')
  return writeEach(records, async (record) => {
    const response = await ctx.request({
      method: 'POST',
      path: entity,
      headers: jsonHeaders(ctx.state.version),
      body: jsonBody(ctx.state.version, toWire(record, set, ctx.state.version)),
    })
    return { ok: true, id: createdId(ctx, response, set), ...warnings(response) }
  })
}

/**
 * Updates records with PATCH (or MERGE, V2 option), sending `If-Match` with the record's ETag when
 * given (`etagOf(record)` of a record read earlier, or `*` to overwrite), else the `defaultIfMatch`
 * option. A stale ETag is a `CONFLICT` carrying the current ETag (from the 412's `etag` header, else
 * read once); a missing one on a set that wants it is `PRECONDITION_REQUIRED` (sheet §3.3).
 */
export async function updateEntities(
  ctx: SapContext,
  entity: string,
  updates: readonly RecordUpdate[],
  options: WriteOptions,
): Promise<WriteResult[]> {
  if (options.allOrNone === true)
    return runBatch(
      ctx,
      updates.map((update) => ({ op: 'update', entity, update })),
      { atomic: true },
    )
  const set = await writableSet(ctx, entity, 'updatable')
  const version = ctx.state.version
  return writeEach(updates, async (update) => {
    const path = `${entity}${keyPredicate(update.id, version, set)}`
    const etag = update.etag ?? ctx.options.defaultIfMatch
    try {
      const response = await ctx.request({
        method: version === 'v4' ? 'PATCH' : ctx.options.updateMethod,
        path,
        headers: {
          ...jsonHeaders(version),
          ...(etag === undefined ? {} : { 'if-match': etag }),
        },
        body: jsonBody(version, toWire(update.values, set, version)),
        // The same fields set twice leave the same record; with If-Match a replay after a lost answer is a 412.
        idempotent: true,
      })
      return { ok: true, id: keyText(update.id), ...warnings(response) }
    } catch (error) {
      throw await withCurrentEtag(ctx, error, path)
    }
  })
}

// A 412 without an `etag` header still owes the caller the current version: it is read once.
async function withCurrentEtag(ctx: SapContext, error: unknown, path: string): Promise<unknown> {
  if (!isJunctionError(error, 'CONFLICT') || error.status !== 412) return error
  const details = (error.details ?? {}) as { currentEtag?: string }
  if (details.currentEtag !== undefined) return error
  try {
    const response = await ctx.request({ path, headers: jsonHeaders(ctx.state.version) })
    return Object.assign(error, {
      details: { ...details, currentEtag: readEntity(response, ctx.state.version).etag },
    })
  } catch {
    // The conflict is the answer; a failed re-read only leaves its ETag unknown.
    return error
  }
}

/** Deletes records by key (204), or with `allOrNone` in one `$batch` changeset. */
export async function deleteEntities(
  ctx: SapContext,
  entity: string,
  ids: readonly RecordId[],
  options: WriteOptions,
): Promise<WriteResult[]> {
  if (options.allOrNone === true)
    return runBatch(
      ctx,
      ids.map((id) => ({ op: 'delete', entity, id })),
      { atomic: true },
    )
  const set = await writableSet(ctx, entity, 'deletable')
  return writeEach(ids, async (id) => {
    const response = await ctx.request({
      method: 'DELETE',
      path: `${entity}${keyPredicate(id, ctx.state.version, set)}`,
      headers: jsonHeaders(ctx.state.version),
    })
    return { ok: true, id: keyText(id), ...warnings(response) }
  })
}

/** The set's metadata, refusing before any call a write `$metadata` says the set does not allow. */
export async function writableSet(
  ctx: SapContext,
  entity: string,
  flag: 'creatable' | 'updatable' | 'deletable',
): Promise<EntitySetInfo | undefined> {
  const set = await entitySet(ctx, propertyName(entity))
  if (set !== undefined && !set[flag])
    throw invalid(`${entity} is not ${flag} (sap:${flag}="false" in $metadata)`)
  return set
}
