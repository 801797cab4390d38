import {
  ConflictError,
  type EntityRecord,
  isJunctionError,
  type JunctionResponse,
  ValidationError,
} from '@junction/core'
import type { z } from 'zod'
import { call, type SalesforceContext } from '../salesforce-context.js'
import { queryPageSchema, readBody, recordSchema, toRecord } from '../salesforce-responses.js'
import { apiName } from '../soql.js'

// Record ids: 15 characters (case-sensitive) or 18 (with the case-checksum suffix).
const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/

// `Sforce-Query-Options: batchSize` is honoured between 200 and 2000 (sheet §3.2), and only as a hint.
const MIN_BATCH_SIZE = 200
const MAX_BATCH_SIZE = 2000

type QueryPage = z.output<typeof queryPageSchema>

/** How a SOQL read runs: `/queryAll` includes deleted and archived rows. */
export interface SoqlReadOptions {
  all?: boolean
  pageSize?: number | undefined
  limit?: number | undefined
}

/**
 * Every record of a SOQL statement, following `nextRecordsUrl` until `done`. The next page is
 * requested as soon as a page arrives, so the network and the caller's loop overlap. With
 * `queryConcurrency` above 1, later pages are asked for ahead by their locator (see `PageAhead`);
 * at most that many pages plus the one being read are held at once, whatever the size of the result.
 * A hand-written iterator rather than an async generator: a generator costs several promises per
 * record, and a read yields 100k of them.
 */
export function soqlRecords(
  ctx: SalesforceContext,
  soql: string,
  options: SoqlReadOptions = {},
): AsyncIterable<EntityRecord> {
  return { [Symbol.asyncIterator]: () => new SoqlPages(ctx, soql, options) }
}

/** A page asked for: the path it was asked at (none for the first) and the answer to come. */
interface PageRequest {
  path: string | undefined
  response: Promise<JunctionResponse>
}

/**
 * Locators are observed as `<cursor id>-<rows so far>` (sheet §3.2; UNVERIFIED: the format is not
 * documented). From the first page's `nextRecordsUrl` and size, the locators of the pages after it can
 * be asked for before their predecessors arrive. A page asked for ahead is used only when its path is
 * exactly the `nextRecordsUrl` the page before it named; otherwise every page asked ahead is dropped
 * and the read goes on link by link. A different format, or pages of uneven size, can cost the calls
 * made ahead, never a record.
 */
interface PageAhead {
  /** The `nextRecordsUrl` up to and including the `-` before the row count. */
  prefix: string
  /** Rows per page: the first page's size. */
  stride: number
  /** The row count of the next locator to ask for. */
  offset: number
  /** No page starts at or past this row (the result's size, or the caller's limit). */
  end: number
}

const LOCATOR = /^(.*-)(\d+)$/

class SoqlPages implements AsyncIterator<EntityRecord> {
  readonly #ctx: SalesforceContext
  readonly #headers: Record<string, string> | undefined
  readonly #limit: number
  readonly #concurrency: number
  #remaining: number
  #requests: PageRequest[]
  #ahead: PageAhead | undefined
  #firstPage = true
  #records: readonly Record<string, unknown>[] = []
  #position = 0

  constructor(ctx: SalesforceContext, soql: string, options: SoqlReadOptions) {
    this.#ctx = ctx
    this.#headers =
      options.pageSize === undefined
        ? undefined
        : { 'sforce-query-options': `batchSize=${batchSize(options.pageSize)}` }
    this.#limit = options.limit ?? Number.POSITIVE_INFINITY
    this.#remaining = this.#limit
    this.#concurrency = ctx.options.queryConcurrency
    const path = options.all === true ? 'queryAll' : 'query'
    this.#requests = [
      { path: undefined, response: call(ctx, { path, query: { q: soql }, headers: this.#headers }) },
    ]
  }

  next(): Promise<IteratorResult<EntityRecord>> {
    if (this.#remaining > 0 && this.#position < this.#records.length) {
      this.#remaining--
      const record = toRecord(this.#records[this.#position++] as Record<string, unknown>)
      const unfinished = unfinishedChildren(record)
      if (unfinished.length > 0) return this.#withAllChildren(record, unfinished)
      return Promise.resolve({ done: false, value: record })
    }
    return this.#nextPage()
  }

  // A subquery answered `done: false` (its rows count towards the page size): its further pages are
  // read through their own `nextRecordsUrl`, as jsforce's autoFetch does, before the record is handed out.
  async #withAllChildren(
    record: EntityRecord,
    fields: readonly string[],
  ): Promise<IteratorResult<EntityRecord>> {
    for (const field of fields) {
      const child = record[field] as QueryPage
      const records = [...child.records]
      let next = child.nextRecordsUrl
      while (next !== undefined) {
        const page: QueryPage = readBody(
          queryPageSchema,
          await call(this.#ctx, { path: next, headers: this.#headers }),
        )
        records.push(...page.records.map((row) => toRecord(row)))
        next = page.done === false ? page.nextRecordsUrl : undefined
      }
      record[field] = { totalSize: child.totalSize, done: true, records }
    }
    return { done: false, value: record }
  }

  async return(): Promise<IteratorResult<EntityRecord>> {
    this.#stop()
    return { done: true, value: undefined }
  }

  async #nextPage(): Promise<IteratorResult<EntityRecord>> {
    for (;;) {
      const request = this.#requests.shift()
      if (this.#remaining <= 0 || request === undefined) {
        this.#stop()
        return { done: true, value: undefined }
      }
      const page: QueryPage = readBody(queryPageSchema, await request.response)
      const next = page.done === false ? page.nextRecordsUrl : undefined
      if (this.#requests[0] !== undefined && this.#requests[0].path !== next) this.#dropAhead()
      if (this.#firstPage) {
        this.#firstPage = false
        this.#ahead = this.#planAhead(next, page)
      }
      if (next !== undefined && this.#remaining > page.records.length) this.#askFor(next)
      this.#records = page.records
      this.#position = 0
      if (this.#records.length > 0) return this.next()
    }
  }

  #planAhead(next: string | undefined, page: QueryPage): PageAhead | undefined {
    const locator = next === undefined ? undefined : LOCATOR.exec(next)
    const stride = page.records.length
    if (this.#concurrency < 2 || locator === null || locator === undefined || stride === 0) return undefined
    if (Number(locator[2]) !== stride) return undefined
    return {
      prefix: locator[1] as string,
      stride,
      offset: stride,
      end: Math.min(page.totalSize, this.#limit),
    }
  }

  // Keeps the pages after the one being read in flight: `next` (the link the page named) first, unless
  // it is already asked for, then pages ahead by locator, up to `queryConcurrency`.
  #askFor(next: string): void {
    if (this.#requests.length === 0) {
      this.#requests.push({ path: next, response: call(this.#ctx, { path: next, headers: this.#headers }) })
      if (this.#ahead !== undefined) this.#ahead.offset += this.#ahead.stride
    }
    const ahead = this.#ahead
    while (ahead !== undefined && this.#requests.length < this.#concurrency && ahead.offset < ahead.end) {
      const path = `${ahead.prefix}${ahead.offset}`
      this.#requests.push({ path, response: call(this.#ctx, { path, headers: this.#headers }) })
      ahead.offset += ahead.stride
    }
  }

  #dropAhead(): void {
    for (const request of this.#requests) request.response.catch(() => undefined)
    this.#requests = []
    this.#ahead = undefined
  }

  // A caller that stops early leaves the pages asked for unread; their failures are nobody's concern.
  #stop(): void {
    this.#dropAhead()
    this.#records = []
  }
}

/** `SELECT COUNT() …`: the count is the answer's `totalSize`. */
export async function soqlCount(ctx: SalesforceContext, soql: string): Promise<number> {
  const response = await call(ctx, { path: 'query', query: { q: soql } })
  return readBody(queryPageSchema, response).totalSize
}

/** One record by id, every field; `undefined` when it does not exist or is deleted. */
export async function getRecord(
  ctx: SalesforceContext,
  entity: string,
  id: unknown,
): Promise<EntityRecord | undefined> {
  if (typeof id !== 'string' || !RECORD_ID.test(id)) {
    throw new ValidationError({
      message: 'salesforce get: id must be a 15- or 18-character record id',
      system: 'salesforce',
      operation: 'get',
      entity,
    })
  }
  return absentOnNotFound(() => call(ctx, { path: `sobjects/${apiName(entity)}/${id}` }))
}

/**
 * One record by an external-id field; `undefined` when none matches. Several matches (300) are a
 * `ConflictError` with `systemCode` `MULTIPLE_CHOICES` listing the matching record URLs.
 */
export async function getByExternalId(
  ctx: SalesforceContext,
  entity: string,
  field: string,
  value: string,
): Promise<EntityRecord | undefined> {
  if (value === '') throw invalidKey(entity, 'getByExternalId needs a non-empty value')
  const path = `sobjects/${apiName(entity)}/${apiName(field)}/${encodeURIComponent(value)}`
  return absentOnNotFound(async () => {
    const response = await call(ctx, { path })
    if (response.status === 300) {
      throw new ConflictError({
        message: `salesforce: several ${entity} records have this ${field}`,
        system: 'salesforce',
        operation: 'getByExternalId',
        entity,
        status: 300,
        systemCode: 'MULTIPLE_CHOICES',
        details: response.body,
      })
    }
    return response
  })
}

async function absentOnNotFound(
  send: () => Promise<Parameters<typeof readBody>[1]>,
): Promise<EntityRecord | undefined> {
  try {
    return toRecord(readBody(recordSchema, await send()))
  } catch (error) {
    // A deleted record answers 404 ENTITY_IS_DELETED, mapped to NOT_FOUND too.
    if (isJunctionError(error, 'NOT_FOUND')) return undefined
    throw error
  }
}

function invalidKey(entity: string, problem: string): ValidationError {
  return new ValidationError({ message: `salesforce: ${problem}`, system: 'salesforce', entity })
}

function unfinishedChildren(record: EntityRecord): string[] {
  const fields: string[] = []
  for (const field in record) {
    const value = record[field] as { done?: unknown; nextRecordsUrl?: unknown; records?: unknown } | null
    if (
      typeof value === 'object' &&
      value !== null &&
      value.done === false &&
      typeof value.nextRecordsUrl === 'string' &&
      Array.isArray(value.records)
    ) {
      fields.push(field)
    }
  }
  return fields
}

function batchSize(pageSize: number): number {
  return Math.min(MAX_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Math.trunc(pageSize)))
}
