import {
  ConflictError,
  type EntityRecord,
  headerValue,
  type JunctionResponse,
  type RecordId,
  type RecordUpdate,
  type UpsertOptions,
  ValidationError,
  type WriteResult,
  writeEach,
} from '@junction/core'
import { encodedCondition, fieldName, tableName } from '../query/encoded-query.js'
import type { ServiceNowContext } from '../servicenow-context.js'
import { listEnvelopeSchema, readBody, recordEnvelopeSchema } from '../servicenow-responses.js'
import { checkFields } from './field-check.js'
import { shapeParams } from './read-params.js'
import { wireRecord } from './wire-values.js'

// One call per record, in order: the Table API processes only the first record of a body (sheet §0).

/** POST per record: 201 with the record (or, with `skipResponseBody`, its `Location`). */
export function createRecords(
  ctx: ServiceNowContext,
  table: string,
  records: readonly EntityRecord[],
): Promise<WriteResult[]> {
  const path = `api/now/table/${tableName(table)}`
  return writeEach(records, async (record) => {
    // The instance ignores unknown names in a body (sheet §2.1): the value would be lost silently.
    checkFields(ctx, table, Object.keys(record))
    const response = await ctx.request({
      method: 'POST',
      path,
      query: shapeParams(ctx.options),
      headers: quiet(ctx),
      body: { type: 'json', value: wireRecord(record, table) },
      responseType: 'json',
    })
    return { ok: true, id: writtenId(ctx, response), created: true }
  })
}

/** PATCH per record: 200 with the full record after the update. */
export function updateRecords(
  ctx: ServiceNowContext,
  table: string,
  updates: readonly RecordUpdate[],
): Promise<WriteResult[]> {
  return writeEach(updates, async (update) => {
    const id = sysIdOf(update.id, table)
    checkFields(ctx, table, Object.keys(update.values))
    const response = await ctx.request({
      method: 'PATCH',
      path: `api/now/table/${tableName(table)}/${id}`,
      query: shapeParams(ctx.options),
      headers: quiet(ctx),
      body: { type: 'json', value: wireRecord(update.values, table) },
      responseType: 'json',
    })
    if (!ctx.options.skipResponseBody) readBody(recordEnvelopeSchema, response)
    return { ok: true, id }
  })
}

/** DELETE per record: 204. */
export function deleteRecords(
  ctx: ServiceNowContext,
  table: string,
  ids: readonly RecordId[],
): Promise<WriteResult[]> {
  return writeEach(ids, async (raw) => {
    const id = sysIdOf(raw, table)
    await ctx.request({ method: 'DELETE', path: `api/now/table/${tableName(table)}/${id}` })
    return { ok: true, id }
  })
}

/**
 * Creates or updates by a unique column (`externalId`, e.g. `correlation_id` or `number`): a read of
 * at most two matching sys_ids, then PATCH (one match) or POST (none); two matches are a conflict.
 * Not atomic: the Table API has no upsert; use the Import Set API with a coalescing transform map for that.
 */
export function upsertRecords(
  ctx: ServiceNowContext,
  table: string,
  records: readonly EntityRecord[],
  options: UpsertOptions,
): Promise<WriteResult[]> {
  const key = fieldName(options.externalId)
  const path = `api/now/table/${tableName(table)}`
  return writeEach(records, async (record) => {
    const value = record[key]
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new ValidationError({
        message: `servicenow upsert: each record needs a ${key} to match on`,
        system: 'servicenow',
        entity: table,
      })
    }
    const found = await ctx.request({
      path,
      query: {
        sysparm_query: encodedCondition(key, '=', value),
        sysparm_fields: 'sys_id',
        sysparm_limit: 2,
        sysparm_exclude_reference_link: true,
        sysparm_no_count: true,
        sysparm_suppress_pagination_header: true,
      },
      responseType: 'json',
    })
    const matches = readBody(listEnvelopeSchema, found).result
    if (matches.length > 1) {
      throw new ConflictError({
        message: `servicenow upsert: more than one ${table} row has this ${key}`,
        system: 'servicenow',
        entity: table,
      })
    }
    const existing = matches[0]?.sys_id
    const response = await ctx.request({
      method: existing === undefined ? 'POST' : 'PATCH',
      path: existing === undefined ? path : `${path}/${String(existing)}`,
      query: shapeParams(ctx.options),
      headers: quiet(ctx),
      body: { type: 'json', value: wireRecord(record, table) },
      responseType: 'json',
    })
    return {
      ok: true,
      id: typeof existing === 'string' ? existing : writtenId(ctx, response),
      created: existing === undefined,
    }
  })
}

function quiet(ctx: ServiceNowContext): Record<string, string> {
  return ctx.options.skipResponseBody ? { 'x-no-response-body': 'true' } : {}
}

// The created record's sys_id: from the body, or from `Location` when the body was suppressed.
function writtenId(ctx: ServiceNowContext, response: JunctionResponse): string | undefined {
  if (!ctx.options.skipResponseBody) {
    const id = readBody(recordEnvelopeSchema, response).result.sys_id
    if (typeof id === 'string') return id
    if (typeof id === 'object' && id !== null && typeof (id as { value?: unknown }).value === 'string') {
      return (id as { value: string }).value
    }
    return undefined
  }
  return headerValue(response.headers, 'location')?.split('/').at(-1)
}

function sysIdOf(id: RecordId, table: string): string {
  if (typeof id !== 'string' || !/^[0-9a-f]{32}$/.test(id)) {
    throw new ValidationError({
      message: 'servicenow: a record id must be a sys_id (32 hex characters)',
      system: 'servicenow',
      entity: table,
    })
  }
  return id
}
