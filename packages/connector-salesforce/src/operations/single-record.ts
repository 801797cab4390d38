import { ConflictError, type EntityRecord, type RecordOutcome, ValidationError } from '@junction/core'
import { call, type SalesforceContext } from '../salesforce-context.js'
import { mapRecordError } from '../salesforce-errors.js'
import { readBody, saveResultSchema } from '../salesforce-responses.js'
import { apiName } from '../soql.js'

/** `POST sobjects/{entity}` → 201 `{id, success, errors}` (sheet §2.4). */
export async function createOne(
  ctx: SalesforceContext,
  entity: string,
  record: EntityRecord,
): Promise<RecordOutcome> {
  const response = await call(ctx, {
    method: 'POST',
    path: `sobjects/${apiName(entity)}`,
    body: { type: 'json', value: record },
  })
  const saved = readBody(saveResultSchema, response)
  if (saved.success) return { ok: true, id: saved.id ?? undefined }
  return { ok: false, id: saved.id ?? undefined, error: recordFailure(saved.errors, 'create', entity) }
}

/** `PATCH sobjects/{entity}/{id}` → 204 (sheet §2.4). */
export async function updateOne(
  ctx: SalesforceContext,
  entity: string,
  id: string,
  values: EntityRecord,
): Promise<RecordOutcome> {
  await call(ctx, {
    method: 'PATCH',
    path: `sobjects/${apiName(entity)}/${id}`,
    idempotent: true,
    body: { type: 'json', value: values },
  })
  return { ok: true, id }
}

/** `DELETE sobjects/{entity}/{id}` → 204. */
export async function deleteOne(ctx: SalesforceContext, entity: string, id: string): Promise<RecordOutcome> {
  await call(ctx, { method: 'DELETE', path: `sobjects/${apiName(entity)}/${id}` })
  return { ok: true, id }
}

/**
 * `PATCH sobjects/{entity}/{field}/{value}` (sheet §2.5): 201 created; 200 updated (v46+, with
 * `created: false`); 204 updated (v45 and older: no body, so no id); 300 several records match, a
 * `ConflictError` with `systemCode` `MULTIPLE_CHOICES` (jsforce's name; not a Salesforce code).
 */
export async function upsertOne(
  ctx: SalesforceContext,
  entity: string,
  externalId: string,
  record: EntityRecord,
): Promise<RecordOutcome> {
  const value = externalIdValue(record, externalId)
  // The key travels in the URL; the body repeats it only if the caller's record did (same value).
  const response = await call(ctx, {
    method: 'PATCH',
    path: `sobjects/${apiName(entity)}/${apiName(externalId)}/${encodeURIComponent(value)}`,
    idempotent: true,
    body: { type: 'json', value: withoutField(record, externalId) },
  })
  if (response.status === 300) {
    return {
      ok: false,
      error: new ConflictError({
        message: `salesforce: several ${entity} records have this ${externalId}`,
        system: 'salesforce',
        operation: 'upsert',
        entity,
        status: 300,
        systemCode: 'MULTIPLE_CHOICES',
        details: response.body,
      }),
    }
  }
  if (response.status === 204) return { ok: true, id: undefined, created: false }
  const saved = readBody(saveResultSchema, response)
  if (!saved.success) return { ok: false, error: recordFailure(saved.errors, 'upsert', entity) }
  return { ok: true, id: saved.id ?? undefined, created: saved.created ?? response.status === 201 }
}

/** The external-id value of a record to upsert, as text for the URL. */
export function externalIdValue(record: EntityRecord, externalId: string): string {
  const entry = Object.entries(record).find(([name]) => name.toLowerCase() === externalId.toLowerCase())
  const value = entry?.[1]
  if (value === undefined || value === null || value === '' || typeof value === 'object') {
    throw new ValidationError({
      message: `salesforce upsert: the record has no value for ${externalId}`,
      system: 'salesforce',
      operation: 'upsert',
    })
  }
  return String(value)
}

function withoutField(record: EntityRecord, field: string): EntityRecord {
  return Object.fromEntries(
    Object.entries(record).filter(([name]) => name.toLowerCase() !== field.toLowerCase()),
  )
}

function recordFailure(
  errors: ReadonlyArray<{
    statusCode?: string | undefined
    errorCode?: string | undefined
    message: string
    fields?: string[] | undefined
  }>,
  operation: string,
  entity: string,
) {
  return mapRecordError(
    errors.map((item) => ({
      statusCode: item.statusCode ?? item.errorCode ?? 'UNKNOWN_ERROR',
      message: item.message,
      fields: item.fields,
    })),
    { operation, entity },
  )
}
