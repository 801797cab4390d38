import {
  type BatchOperation,
  type BatchOptions,
  type BatchResult,
  headerValue,
  httpStatusError,
  isJunctionError,
  JunctionError,
  type JunctionRequest,
  type JunctionResponse,
  TransportError,
} from '@junction/core'
import type { BatchGroup, BatchPart, BatchPartResponse } from './batch/batch-types.js'
import { buildJsonBatch, parseJsonBatch } from './batch/json-batch.js'
import { buildMultipartBatch, parseMultipartBatch } from './batch/multipart-batch.js'
import type { EntitySetInfo } from './metadata/service-metadata.js'
import { invalid, keyPredicate, keyText, propertyName } from './odata/odata-literal.js'
import { toWire } from './odata/wire-values.js'
import { entitySet, type SapContext } from './sap-context.js'
import { mapSapError } from './sap-errors.js'
import { typed } from './sap-read.js'
import { readEntity } from './sap-responses.js'
import { createdId, warnings } from './sap-write-outcome.js'

// `$1` or `$1/to_Item`: an entity created earlier in the same changeset (sheet §4.1).
const CONTENT_ID_REFERENCE = /^\$(\d+)(?:\/([A-Za-z_][A-Za-z0-9_]*))?$/

type PlannedOperation = Exclude<BatchOperation, { op: 'upsert' }>

interface Planned {
  index: number
  operation: PlannedOperation
  part: BatchPart
  set: EntitySetInfo | undefined
}

// An operation its own input makes unsendable (a bad key or value): it fails as SAP would refuse it.
interface Refused {
  index: number
  operation: PlannedOperation
  refusal: JunctionError
}

type Item = Planned | Refused

/** `$batch` options: besides `atomic`, how many consecutive writes share a changeset (all apply or none). */
export interface SapBatchOptions extends BatchOptions {
  /** Writes per changeset (default 1: a refused write fails alone); ignored with `atomic`. */
  changesetSize?: number
}

/**
 * Runs operations through `$batch` (sheet §4): gets as top-level parts, writes in changesets. With
 * `atomic`, all writes share one changeset (all apply or none; at most `batchSize` operations);
 * otherwise each `changesetSize` consecutive writes (default 1) form a changeset, so one failure undoes
 * only its own changeset. Each operation's `Content-ID` is its position in `operations`, counted from
 * 1, so a create can target `$1/to_Item`. V2 and V4 use `multipart/mixed`; V4 can use OData 4.01 JSON
 * batch. A failed changeset answers with one error, which every operation of it reports; an operation
 * with a bad key or value fails its changeset the same way without it being sent; a `$batch` request
 * that fails as a whole fails each of its operations, and the other requests keep their outcomes.
 * Upserts are not an OData operation: `NOT_SUPPORTED`.
 */
export async function runBatch(
  ctx: SapContext,
  operations: readonly BatchOperation[],
  options: Pick<SapBatchOptions, 'atomic' | 'changesetSize'>,
): Promise<BatchResult[]> {
  const results: BatchResult[] = []
  const planned: Item[] = []
  for (const [index, operation] of operations.entries()) {
    if (operation.op === 'upsert') {
      results[index] = {
        ok: false,
        index,
        error: new JunctionError({
          code: 'NOT_SUPPORTED',
          message: 'sap: OData has no upsert; create or update instead',
          system: 'sap',
          operation: 'batch',
          entity: operation.entity,
        }),
      }
      continue
    }
    try {
      planned.push(await plan(ctx, operation, index))
    } catch (error) {
      if (!isJunctionError(error, 'VALIDATION_FAILED')) throw error
      planned.push({ index, operation, refusal: error })
    }
  }
  const size = ctx.options.batchSize
  const atomic = options.atomic === true
  if (atomic && planned.filter((item) => item.operation.op !== 'get').length > size) {
    throw invalid(`an atomic batch holds at most ${size} writes (the batchSize option)`)
  }
  const changesetSize = options.changesetSize ?? 1
  if (!Number.isInteger(changesetSize) || changesetSize < 1 || changesetSize > size) {
    throw invalid(`changesetSize must be a whole number from 1 to ${size} (the batchSize option)`)
  }
  const members = topLevelParts(planned, atomic ? Number.POSITIVE_INFINITY : changesetSize, atomic)
  for (const request of requestsOf(members, atomic ? Number.POSITIVE_INFINITY : size)) {
    const sendable: Planned[][] = []
    for (const member of request) {
      // A changeset holding a refused operation is not sent: all of it fails, as SAP would answer it.
      const refusal = member.find((item): item is Refused => 'refusal' in item)?.refusal
      if (refusal === undefined) sendable.push(member as Planned[])
      else for (const item of member) results[item.index] = { ok: false, index: item.index, error: refusal }
    }
    if (sendable.length === 0) continue
    try {
      for (const result of await sendRequest(ctx, sendable)) results[result.index] = result
    } catch (error) {
      if (!(error instanceof JunctionError)) throw error
      for (const item of sendable.flat()) results[item.index] = { ok: false, index: item.index, error }
    }
  }
  return results
}

// One member list per top-level part: a get alone, writes in changesets of `changesetSize`. A get
// between writes closes the open changeset, so it reads what the writes before it did; when atomic,
// every write goes to the one changeset.
function topLevelParts(planned: readonly Item[], changesetSize: number, atomic: boolean): Item[][] {
  const members: Item[][] = []
  let open: Item[] | undefined
  for (const item of planned) {
    if (item.operation.op === 'get') {
      members.push([item])
      if (!atomic) open = undefined
    } else if (open !== undefined && open.length < changesetSize) {
      open.push(item)
    } else {
      open = [item]
      members.push(open)
    }
  }
  return members
}

// Top-level parts packed into `$batch` requests of at most `limit` operations; a changeset is never split.
function requestsOf(members: readonly Item[][], limit: number): Item[][][] {
  const requests: Item[][][] = []
  let current: Item[][] = []
  let count = 0
  for (const member of members) {
    if (current.length > 0 && count + member.length > limit) {
      requests.push(current)
      current = []
      count = 0
    }
    current.push(member)
    count += member.length
  }
  if (current.length > 0) requests.push(current)
  return requests
}
async function plan(ctx: SapContext, operation: PlannedOperation, index: number): Promise<Planned> {
  const version = ctx.state.version
  const contentId = String(index + 1)
  const reference = operation.op === 'create' ? CONTENT_ID_REFERENCE.exec(operation.entity) : null
  const set = reference === null ? await entitySet(ctx, propertyName(operation.entity)) : undefined
  const accept = { accept: version === 'v4' ? 'application/json;IEEE754Compatible=true' : 'application/json' }
  const write = {
    ...accept,
    'content-type': version === 'v4' ? 'application/json;IEEE754Compatible=true' : 'application/json',
  }
  const part = (fields: Omit<BatchPart, 'contentId'>): Planned => ({
    index,
    operation,
    set,
    part: { contentId, ...fields },
  })
  switch (operation.op) {
    case 'get':
      return part({
        method: 'GET',
        url: `${operation.entity}${keyPredicate(operation.id, version, set)}`,
        headers: accept,
      })
    case 'create':
      return part({
        method: 'POST',
        url: operation.entity,
        headers: write,
        body: toWire(operation.record, set, version),
      })
    case 'update': {
      const etag = operation.update.etag ?? ctx.options.defaultIfMatch
      return part({
        method: version === 'v4' ? 'PATCH' : ctx.options.updateMethod,
        url: `${operation.entity}${keyPredicate(operation.update.id, version, set)}`,
        headers: {
          ...write,
          ...(etag === undefined ? {} : { 'if-match': etag }),
        },
        body: toWire(operation.update.values, set, version),
      })
    }
    default:
      return part({
        method: 'DELETE',
        url: `${operation.entity}${keyPredicate(operation.id, version, set)}`,
        headers: accept,
      })
  }
}

async function sendRequest(ctx: SapContext, members: readonly Planned[][]): Promise<BatchResult[]> {
  const groups: BatchGroup[] = members.map((items) => {
    const first = items[0] as Planned
    return first.operation.op === 'get'
      ? { kind: 'single', part: first.part }
      : { kind: 'changeset', parts: items.map((item) => item.part) }
  })
  const json = ctx.state.version === 'v4' && ctx.options.v4BatchFormat === 'json'
  const onlyReads = members.every((items) => items.every((item) => item.operation.op === 'get'))
  let answers: readonly (readonly BatchPartResponse[])[]
  let batchRequest: JunctionRequest | undefined
  if (json) {
    const response = await ctx.request({
      method: 'POST',
      path: '$batch',
      body: { type: 'json', value: buildJsonBatch(groups) },
      idempotent: onlyReads,
    })
    batchRequest = requestOf(response)
    answers = parseJsonBatch(response.body, groups)
  } else {
    const { body, contentType } = buildMultipartBatch(groups)
    const response = await ctx.request<string>({
      method: 'POST',
      path: '$batch',
      headers: { accept: 'multipart/mixed' },
      body: { type: 'raw', value: body, contentType },
      responseType: 'text',
      idempotent: onlyReads,
    })
    batchRequest = requestOf(response)
    answers = parseMultipartBatch(response.body, headerValue(response.headers, 'content-type') ?? '')
  }
  if (answers.length !== groups.length) {
    throw malformed(`$batch answered ${answers.length} parts for ${groups.length}`)
  }
  return members.flatMap((items, position) => {
    const answer = answers[position] ?? []
    // A failed changeset is one error part for all its operations (sheet §4.2).
    const failure = answer.length === 1 && items.length > 1 ? answer[0] : undefined
    return items.map((item, at) => outcome(ctx, item, failure ?? answer[at], batchRequest))
  })
}

function outcome(
  ctx: SapContext,
  item: Planned,
  answer: BatchPartResponse | undefined,
  batchRequest: JunctionRequest | undefined,
): BatchResult {
  const { index, operation, set } = item
  if (answer === undefined) {
    return { ok: false, index, error: malformed('a $batch changeset answered fewer parts than it holds') }
  }
  const response: JunctionResponse = {
    status: answer.status,
    headers: answer.headers,
    body: answer.body,
    url: batchRequest?.url ?? '',
  }
  if (answer.status >= 400) {
    const request: JunctionRequest = {
      method: item.part.method,
      url: `${ctx.options.serviceRoot}/${item.part.url}`,
      headers: {},
      operation: { name: 'batch', entity: operation.entity },
    }
    const error = mapSapError(response, request) ?? httpStatusError(response, request)
    return { ok: false, index, error: Object.assign(error, { system: 'sap' }) }
  }
  switch (operation.op) {
    case 'get': {
      const { raw, etag } = readEntity(response, ctx.state.version)
      return {
        ok: true,
        index,
        id: keyText(operation.id),
        record: typed(ctx, raw, etag, set),
        ...warnings(answer),
      }
    }
    case 'create':
      return { ok: true, index, id: createdId(ctx, response, set), ...warnings(answer) }
    case 'update':
      return { ok: true, index, id: keyText(operation.update.id), ...warnings(answer) }
    case 'delete':
      return { ok: true, index, id: keyText(operation.id), ...warnings(answer) }
  }
}

// Only the URL of the batch call is kept for errors: its path says where the failure happened.
function requestOf(response: JunctionResponse): JunctionRequest {
  return { method: 'POST', url: response.url.split('?')[0] ?? response.url, headers: {} }
}

function malformed(problem: string): TransportError {
  return new TransportError({
    code: 'MALFORMED_RESPONSE',
    message: `sap: ${problem}`,
    system: 'sap',
    operation: 'batch',
  })
}
