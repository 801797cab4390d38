import { z } from 'zod'
import type { EntityRecord } from '../../connector/connector.js'
import type { ConnectorContext } from '../../connector/connector-context.js'
import { defineConnector } from '../../connector/define-connector.js'
import { expectBody } from '../../connector/response-body.js'
import { writeEach } from '../../connector/write-each.js'
import { isJunctionError, JunctionError } from '../../errors/junction-error.js'
import type { JunctionResponse } from '../../pipeline/request.js'

const recordBody = z.object({ record: z.record(z.string(), z.unknown()) })
const pageBody = z.object({
  records: z.array(z.record(z.string(), z.unknown())),
  next: z.number().nullable(),
})
const changesBody = z.object({
  changes: z.array(
    z.object({
      seq: z.number(),
      kind: z.enum(['upsert', 'delete']),
      id: z.string(),
      record: z.record(z.string(), z.unknown()).optional(),
      changedAt: z.string(),
    }),
  ),
  more: z.boolean(),
})

const RECORD = { system: 'ledger', shape: 'a record' }
const PAGE = { system: 'ledger', shape: 'a page of records' }
const CHANGES = { system: 'ledger', shape: 'a page of changes' }

const path = (...parts: string[]) => `/ledger/${parts.map(encodeURIComponent).join('/')}`
const idOf = (id: unknown): string => (typeof id === 'string' ? id : JSON.stringify(id))

const get = async (ctx: ConnectorContext, entity: string, id: unknown) => {
  try {
    const response = await ctx.request({ path: path(entity, idOf(id)) })
    return expectBody(recordBody, response, RECORD).record as EntityRecord
  } catch (error) {
    if (isJunctionError(error, 'NOT_FOUND')) return undefined
    throw error
  }
}

async function* query(
  ctx: ConnectorContext,
  entity: string,
  q: { where?: object; limit?: number; pageSize?: number },
) {
  let offset: number | null = 0
  let yielded = 0
  const filters = Object.fromEntries(
    Object.entries(q.where ?? {}).map(([field, value]) => [field, String(value)]),
  )
  while (offset !== null) {
    const response: JunctionResponse = await ctx.request({
      path: path(entity),
      query: { ...filters, offset, limit: q.pageSize ?? 2 },
    })
    const body = expectBody(pageBody, response, PAGE)
    for (const record of body.records) {
      if (q.limit !== undefined && yielded >= q.limit) return
      yielded++
      yield record as EntityRecord
    }
    offset = body.next
  }
}

async function* changes(
  ctx: ConnectorContext,
  entity: string,
  options: { cursor?: string; since?: Date; pageSize?: number },
) {
  let after = options.cursor === undefined ? 0 : Number(options.cursor)
  if (!Number.isSafeInteger(after) || after < 0) {
    throw new JunctionError({
      code: 'VALIDATION_FAILED',
      message: 'ledger: a cursor is a sequence number',
      system: 'ledger',
    })
  }
  for (;;) {
    const response: JunctionResponse = await ctx.request({
      path: path(entity, 'changes'),
      query: {
        after,
        limit: options.pageSize ?? 3,
        // A cursor supersedes the time it started from.
        ...(options.cursor === undefined && options.since ? { since: options.since.toISOString() } : {}),
      },
    })
    const body = expectBody(changesBody, response, CHANGES)
    for (const change of body.changes) {
      after = change.seq
      yield {
        kind: change.kind,
        id: change.id,
        record: change.record as EntityRecord | undefined,
        changedAt: new Date(change.changedAt),
        cursor: String(change.seq),
      }
    }
    if (!body.more) return
  }
}

const mapError = (response: { status: number; body: unknown }) => {
  const fault = (response.body as { fault?: { code?: string; message?: string } } | undefined)?.fault
  if (fault?.code === undefined) return undefined
  const code =
    response.status === 404
      ? 'NOT_FOUND'
      : response.status === 409
        ? 'CONFLICT'
        : response.status === 422
          ? 'VALIDATION_FAILED'
          : 'BAD_REQUEST'
  return new JunctionError({
    code,
    message: `ledger: ${fault.message ?? fault.code}`,
    status: response.status,
    systemCode: fault.code,
  })
}

const createOne = async (ctx: ConnectorContext, entity: string, record: EntityRecord) => {
  const response = await ctx.request({
    method: 'POST',
    path: path(entity),
    body: { type: 'json', value: record },
  })
  return { ok: true as const, id: String(expectBody(recordBody, response, RECORD).record.id), created: true }
}

/** A connector for the ledger simulator with every portable operation (batch runs its steps in turn). */
export const ledgerConnector = defineConnector({
  system: 'ledger',
  mapError,
  get,
  query,
  changes,
  batch: (ctx, operations) =>
    writeEach(operations, async (operation) => {
      if (operation.op === 'get') {
        const record = await get(ctx, operation.entity, operation.id)
        if (record === undefined) {
          throw new JunctionError({
            code: 'NOT_FOUND',
            message: 'ledger: no record with that id',
            system: 'ledger',
          })
        }
        return { ok: true, id: String(record.id), record }
      }
      if (operation.op === 'create') return createOne(ctx, operation.entity, operation.record)
      throw new JunctionError({
        code: 'NOT_SUPPORTED',
        message: `ledger batch: ${operation.op} steps are not supported`,
        system: 'ledger',
      })
    }),
  create: (ctx, entity, records) => writeEach(records, (record) => createOne(ctx, entity, record)),
  update: (ctx, entity, updates) =>
    writeEach(updates, async (update) => {
      const response = await ctx.request({
        method: 'PATCH',
        path: path(entity, idOf(update.id)),
        body: { type: 'json', value: update.values },
      })
      return { ok: true, id: String(expectBody(recordBody, response, RECORD).record.id) }
    }),
  upsert: (ctx, entity, records, options) =>
    writeEach(records, async (record) => {
      const key = record[options.externalId]
      if (typeof key !== 'string' || key === '') {
        throw new JunctionError({
          code: 'VALIDATION_FAILED',
          message: `ledger upsert: the record has no ${options.externalId}`,
          system: 'ledger',
        })
      }
      const response = await ctx.request({
        method: 'PUT',
        path: path(entity, 'by', options.externalId, key),
        body: { type: 'json', value: record },
      })
      return {
        ok: true,
        id: String(expectBody(recordBody, response, RECORD).record.id),
        created: response.status === 201,
      }
    }),
  delete: (ctx, entity, ids) =>
    writeEach(ids, async (id) => {
      await ctx.request({ method: 'DELETE', path: path(entity, idOf(id)), responseType: 'text' })
      return { ok: true, id: idOf(id) }
    }),
})

/** The same ledger, read-only: the compliance suite checks that writes throw `NOT_SUPPORTED`. */
export const readOnlyLedgerConnector = defineConnector({ system: 'ledger', mapError, get, query, changes })
