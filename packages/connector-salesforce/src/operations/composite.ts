import {
  type BatchOperation,
  type BatchResult,
  type EntityRecord,
  JunctionError,
  ValidationError,
} from '@junction/core'
import { call, type SalesforceContext } from '../salesforce-context.js'
import { mapRecordError } from '../salesforce-errors.js'
import { compositeResponseSchema, readBody, toRecord } from '../salesforce-responses.js'
import { apiName } from '../soql.js'
import { externalIdValue } from './single-record.js'

/** Composite carries at most 25 subrequests (sheet §4.1). */
export const COMPOSITE_LIMIT = 25

/** One subrequest of `POST composite`; `url` is relative to `services/data/vXX.X/` or a full `/services/…` path. */
export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  url: string
  /** Letters, digits and underscores; later subrequests refer to its answer as `@{referenceId.field}`. */
  referenceId: string
  body?: unknown
  httpHeaders?: Readonly<Record<string, string>>
}

/** One subrequest's answer. */
export interface CompositeSubresponse {
  referenceId: string
  httpStatusCode: number
  httpHeaders: Record<string, string>
  body: unknown
}

/** Options of `POST composite`. */
export interface CompositeOptions {
  /** Roll everything back when one subrequest fails (default false). */
  allOrNone?: boolean
  /** Let Salesforce batch and reorder unrelated subrequests (Salesforce's default from v49: true). */
  collateSubrequests?: boolean
}

const REFERENCE_ID = /^[A-Za-z0-9_]+$/
const FORBIDDEN_HEADERS = new Set(['accept', 'authorization', 'content-type'])

/**
 * `POST composite`: dependent subrequests in one API call, later ones using earlier answers through
 * `@{referenceId.field}`. The answer is always 200; each subresponse has its own status.
 */
export async function composite(
  ctx: SalesforceContext,
  subrequests: readonly CompositeSubrequest[],
  options: CompositeOptions = {},
): Promise<CompositeSubresponse[]> {
  if (subrequests.length === 0 || subrequests.length > COMPOSITE_LIMIT) {
    throw invalid(`composite takes 1 to ${COMPOSITE_LIMIT} subrequests, not ${subrequests.length}`)
  }
  const seen = new Set<string>()
  for (const sub of subrequests) {
    if (!REFERENCE_ID.test(sub.referenceId) || seen.has(sub.referenceId)) {
      throw invalid(
        `composite: referenceId "${sub.referenceId}" must be unique letters, digits and underscores`,
      )
    }
    seen.add(sub.referenceId)
    if (Object.keys(sub.httpHeaders ?? {}).some((name) => FORBIDDEN_HEADERS.has(name.toLowerCase()))) {
      throw invalid('composite: httpHeaders may not set Accept, Authorization or Content-Type')
    }
  }
  const response = await call(ctx, {
    method: 'POST',
    path: 'composite',
    body: {
      type: 'json',
      value: {
        allOrNone: options.allOrNone ?? false,
        ...(options.collateSubrequests === undefined
          ? {}
          : { collateSubrequests: options.collateSubrequests }),
        compositeRequest: subrequests.map((sub) => ({
          method: sub.method,
          url: sub.url.startsWith('/') ? sub.url : `/${ctx.state.dataPath}/${sub.url}`,
          referenceId: sub.referenceId,
          ...(sub.body === undefined ? {} : { body: sub.body }),
          ...(sub.httpHeaders === undefined ? {} : { httpHeaders: sub.httpHeaders }),
        })),
      },
    },
  })
  return readBody(compositeResponseSchema, response).compositeResponse
}

/**
 * The portable `batch`: up to 25 operations as one Composite call (`atomic` → `allOrNone`), more in
 * several calls when not atomic. One result per operation, in order; gets carry their record.
 */
export async function batchOperations(
  ctx: SalesforceContext,
  operations: readonly BatchOperation[],
  atomic: boolean,
): Promise<BatchResult[]> {
  if (atomic && operations.length > COMPOSITE_LIMIT) {
    throw invalid(`an atomic batch runs in one Composite call: at most ${COMPOSITE_LIMIT} operations`)
  }
  const results: BatchResult[] = []
  for (let start = 0; start < operations.length; start += COMPOSITE_LIMIT) {
    const chunk = operations.slice(start, start + COMPOSITE_LIMIT)
    const answers = await composite(
      ctx,
      chunk.map((operation, position) => subrequest(operation, `op${start + position}`)),
      { allOrNone: atomic },
    )
    const byReference = new Map(answers.map((answer) => [answer.referenceId, answer]))
    for (const [position, operation] of chunk.entries()) {
      const index = start + position
      results.push(batchResult(operation, index, byReference.get(`op${index}`)))
    }
  }
  return results
}

function subrequest(operation: BatchOperation, referenceId: string): CompositeSubrequest {
  const entity = apiName(operation.entity)
  switch (operation.op) {
    case 'get':
      return { method: 'GET', url: `sobjects/${entity}/${recordKey(operation.id)}`, referenceId }
    case 'create':
      return { method: 'POST', url: `sobjects/${entity}`, referenceId, body: operation.record }
    case 'update':
      return {
        method: 'PATCH',
        url: `sobjects/${entity}/${recordKey(operation.update.id)}`,
        referenceId,
        body: operation.update.values,
      }
    case 'upsert': {
      const value = encodeURIComponent(externalIdValue(operation.record, operation.externalId))
      return {
        method: 'PATCH',
        url: `sobjects/${entity}/${apiName(operation.externalId)}/${value}`,
        referenceId,
        body: operation.record,
      }
    }
    case 'delete':
      return { method: 'DELETE', url: `sobjects/${entity}/${recordKey(operation.id)}`, referenceId }
  }
}

function batchResult(
  operation: BatchOperation,
  index: number,
  answer: CompositeSubresponse | undefined,
): BatchResult {
  if (answer === undefined) {
    return {
      ok: false,
      index,
      error: new JunctionError({
        code: 'MALFORMED_RESPONSE',
        message: 'salesforce composite answer is missing a subrequest',
        system: 'salesforce',
        operation: operation.op,
        entity: operation.entity,
      }),
    }
  }
  const status = answer.httpStatusCode
  const body = answer.body as Record<string, unknown> | unknown[] | null
  if (status >= 300) {
    const entries = Array.isArray(body) ? body : []
    return {
      ok: false,
      index,
      error: mapRecordError(
        entries.map((entry) => {
          const item = entry as {
            errorCode?: string
            statusCode?: string
            message?: string
            fields?: string[]
          }
          return {
            statusCode:
              item.errorCode ?? item.statusCode ?? (status === 300 ? 'MULTIPLE_CHOICES' : 'UNKNOWN_ERROR'),
            message: item.message ?? `answered ${status}`,
            fields: item.fields,
          }
        }),
        { operation: operation.op, entity: operation.entity, status },
      ),
    }
  }
  const saved = body !== null && !Array.isArray(body) ? body : {}
  switch (operation.op) {
    case 'get':
      return {
        ok: true,
        index,
        id: String(saved.Id ?? recordKey(operation.id)),
        record: toRecord(saved as EntityRecord),
      }
    case 'create':
      return { ok: true, index, id: typeof saved.id === 'string' ? saved.id : undefined }
    case 'upsert':
      return {
        ok: true,
        index,
        id: typeof saved.id === 'string' ? saved.id : undefined,
        created: typeof saved.created === 'boolean' ? saved.created : status === 201,
      }
    case 'update':
      return { ok: true, index, id: recordKey(operation.update.id) }
    case 'delete':
      return { ok: true, index, id: recordKey(operation.id) }
  }
}

function recordKey(id: unknown): string {
  if (typeof id !== 'string' || !/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(id)) {
    throw invalid('batch: ids must be 15- or 18-character record ids')
  }
  return id
}

function invalid(problem: string): ValidationError {
  return new ValidationError({ message: `salesforce ${problem}`, system: 'salesforce' })
}
