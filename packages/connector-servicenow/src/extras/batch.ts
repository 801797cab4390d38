import {
  type BatchOperation,
  type BatchResult,
  type EntityRecord,
  JunctionError,
  type JunctionRequest,
  type JunctionResponse,
} from '@junction/core'
import { z } from 'zod'
import { tableName } from '../query/encoded-query.js'
import type { ServiceNowContext } from '../servicenow-context.js'
import { mapServiceNowError } from '../servicenow-errors.js'
import { readBody, recordEnvelopeSchema } from '../servicenow-responses.js'
import { shapeParams } from '../table/read-params.js'
import { wireRecord } from '../table/wire-values.js'

/** Items per batch call, and how many times unserviced items are sent again (PySNC: 3 rounds, sheet §6.3). */
const ITEMS_PER_CALL = 100
const ROUNDS = 3

const answerSchema = z.object({
  serviced_requests: z
    .array(
      z.object({
        id: z.string(),
        status_code: z.number(),
        body: z.string().optional(),
        error_message: z.string().optional(),
        headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
      }),
    )
    .default([]),
  unserviced_requests: z.array(z.string()).default([]),
})

interface Item {
  id: string
  method: string
  url: string
  headers: Array<{ name: string; value: string }>
  body?: string
  exclude_response_headers: boolean
}

/**
 * Runs operations through `POST /api/now/v1/batch` (sheet §6.3): each one a `rest_requests` item with
 * a relative url and a base64 body, answers decoded from base64. Items the 30 s quota left in
 * `unserviced_requests` are sent again (up to three rounds), then reported as failed. Not atomic:
 * ServiceNow has no transaction across items. Upserts need a read first and are refused here.
 */
export async function runBatch(
  ctx: ServiceNowContext,
  operations: readonly BatchOperation[],
): Promise<BatchResult[]> {
  const results = new Map<number, BatchResult>()
  const items = new Map<string, { index: number; operation: BatchOperation; item: Item }>()
  for (const [index, operation] of operations.entries()) {
    try {
      items.set(String(index), { index, operation, item: toItem(ctx, String(index), operation) })
    } catch (error) {
      if (!(error instanceof JunctionError)) throw error
      results.set(index, { ok: false, index, error })
    }
  }
  let waiting = [...items.keys()]
  for (let round = 0; round < ROUNDS && waiting.length > 0; round++) {
    const unserviced: string[] = []
    for (let start = 0; start < waiting.length; start += ITEMS_PER_CALL) {
      const chunk = waiting.slice(start, start + ITEMS_PER_CALL)
      const response = await ctx.request({
        method: 'POST',
        path: 'api/now/v1/batch',
        body: {
          type: 'json',
          value: {
            batch_request_id: `${round}-${start}`,
            rest_requests: chunk.map((id) => items.get(id)?.item),
          },
        },
        responseType: 'json',
        // Reads and writes mixed: a lost answer must not become a second write.
        idempotent: false,
      })
      const answer = readBody(answerSchema, response, 'a Batch API answer')
      for (const served of answer.serviced_requests) {
        const entry = items.get(served.id)
        if (entry === undefined) continue
        try {
          results.set(entry.index, outcome(entry, served, response))
        } catch (error) {
          // An item whose answer is not what its operation returns fails alone.
          if (!(error instanceof JunctionError)) throw error
          results.set(entry.index, { ok: false, index: entry.index, error })
        }
      }
      unserviced.push(
        ...answer.unserviced_requests.filter(
          (id) => items.has(id) && !results.has(items.get(id)?.index ?? -1),
        ),
      )
    }
    waiting = unserviced
  }
  for (const id of waiting) {
    const entry = items.get(id)
    if (entry === undefined) continue
    results.set(entry.index, {
      ok: false,
      index: entry.index,
      error: new JunctionError({
        code: 'BATCH_UNSERVICED',
        message: `servicenow batch: item ${id} was left unserviced ${ROUNDS} times (batch quota)`,
        system: 'servicenow',
        operation: 'batch',
        retryable: true,
      }),
    })
  }
  return operations.map((_, index) => results.get(index) as BatchResult)
}

function toItem(ctx: ServiceNowContext, id: string, operation: BatchOperation): Item {
  const headers = [
    { name: 'Accept', value: 'application/json' },
    { name: 'Content-Type', value: 'application/json' },
  ]
  const base = `/api/now/table/${tableName(operation.entity)}`
  const params = new URLSearchParams(
    Object.entries(shapeParams(ctx.options)).map(([name, value]): [string, string] => [name, String(value)]),
  ).toString()
  const item = (method: string, path: string, body?: EntityRecord): Item => ({
    id,
    method,
    url: `${path}?${params}`,
    headers,
    exclude_response_headers: true,
    ...(body === undefined
      ? {}
      : { body: Buffer.from(JSON.stringify(wireRecord(body, operation.entity))).toString('base64') }),
  })
  switch (operation.op) {
    case 'get':
      return item('GET', `${base}/${sysId(operation.id)}`)
    case 'create':
      return item('POST', base, operation.record)
    case 'update':
      return item('PATCH', `${base}/${sysId(operation.update.id)}`, operation.update.values)
    case 'delete':
      return item('DELETE', `${base}/${sysId(operation.id)}`)
    case 'upsert':
      throw new JunctionError({
        code: 'NOT_SUPPORTED',
        message: 'servicenow batch: upsert needs a read first; use upsert() or an Import Set',
        system: 'servicenow',
        operation: 'batch',
      })
  }
}

function outcome(
  entry: { index: number; operation: BatchOperation; item: Item },
  served: z.output<typeof answerSchema>['serviced_requests'][number],
  outer: JunctionResponse,
): BatchResult {
  const text =
    served.body === undefined || served.body === '' ? '' : Buffer.from(served.body, 'base64').toString('utf8')
  let body: unknown
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    body = text
  }
  const inner: JunctionResponse = { status: served.status_code, headers: {}, body, url: outer.url }
  if (served.status_code >= 400) {
    const request: JunctionRequest = {
      method: entry.item.method as JunctionRequest['method'],
      url: new URL(entry.item.url, outer.url).origin + entry.item.url.split('?')[0],
      headers: {},
      operation: { name: 'batch', entity: entry.operation.entity },
    }
    const error =
      entry.operation.op === 'get' && served.status_code === 404
        ? undefined
        : (mapServiceNowError(inner, request) ??
          new JunctionError({
            code: 'HTTP_ERROR',
            message: `servicenow batch: item answered ${served.status_code}`,
            status: served.status_code,
            system: 'servicenow',
          }))
    if (error !== undefined) return { ok: false, index: entry.index, error }
    return { ok: true, index: entry.index, id: undefined, record: undefined }
  }
  const record = entry.operation.op === 'delete' ? undefined : readBody(recordEnvelopeSchema, inner).result
  const id =
    entry.operation.op === 'get' || entry.operation.op === 'delete'
      ? String(entry.operation.id)
      : entry.operation.op === 'update'
        ? String(entry.operation.update.id)
        : (record?.sys_id as string | undefined)
  return {
    ok: true,
    index: entry.index,
    id,
    ...(entry.operation.op === 'create' ? { created: true } : {}),
    ...(entry.operation.op === 'get' ? { record } : {}),
  }
}

function sysId(id: unknown): string {
  if (typeof id !== 'string' || !/^[0-9a-f]{32}$/.test(id)) {
    throw new JunctionError({
      code: 'VALIDATION_FAILED',
      message: 'servicenow batch: an id must be a sys_id',
      system: 'servicenow',
      operation: 'batch',
    })
  }
  return id
}
