import { setTimeout as sleep } from 'node:timers/promises'
import { type EntityRecord, JunctionError, type WriteResult } from '@junction/core'
import { call, type SalesforceContext } from '../salesforce-context.js'
import { mapRecordError } from '../salesforce-errors.js'
import { readBody, saveResultsSchema } from '../salesforce-responses.js'
import { apiName } from '../soql.js'

/** sObject Collections take at most 200 records a call (sheet §4.4). */
export const COLLECTION_SIZE = 200

/** A write Collections can carry. */
export type CollectionWrite =
  | { kind: 'create'; records: readonly EntityRecord[] }
  | { kind: 'update'; records: ReadonlyArray<{ id: string; values: EntityRecord }> }
  | { kind: 'upsert'; externalId: string; records: readonly EntityRecord[] }
  | { kind: 'delete'; ids: readonly string[] }

// Record failures that clear by themselves: the same record sent again a moment later usually succeeds.
const TRANSIENT = new Set(['UNABLE_TO_LOCK_ROW'])

/**
 * Writes records through sObject Collections, 200 a call (`collectionConcurrency` calls in flight),
 * one result per record in input order.
 * Records refused with `UNABLE_TO_LOCK_ROW` are sent again (a failed record was not written, so this
 * is safe even for creates) up to `lockRetries` rounds with jittered, doubling waits. When a whole call
 * fails (throttled, session refused), its records and those not yet sent get that error: the
 * results of the calls that went through are kept.
 */
export async function writeCollections(
  ctx: SalesforceContext,
  entity: string,
  write: CollectionWrite,
  allOrNone: boolean,
): Promise<WriteResult[]> {
  const count = write.kind === 'delete' ? write.ids.length : write.records.length
  const results: Array<WriteResult | undefined> = new Array(count)
  let pending = Array.from({ length: count }, (_, index) => index)
  for (let round = 0; pending.length > 0; round++) {
    if (round > 0) await sleep(backoff(ctx, round), undefined, { signal: ctx.signal })
    const retry: number[] = []
    let failure: JunctionError | undefined
    const chunks: number[][] = []
    for (let start = 0; start < pending.length; start += COLLECTION_SIZE) {
      chunks.push(pending.slice(start, start + COLLECTION_SIZE))
    }
    let nextChunk = 0
    const worker = async (): Promise<void> => {
      for (let chunk = chunks[nextChunk++]; chunk !== undefined; chunk = chunks[nextChunk++]) {
        if (failure !== undefined) {
          for (const index of chunk) results[index] = { ok: false, index, error: failure }
          continue
        }
        try {
          const saved = await send(ctx, entity, write, chunk, allOrNone)
          for (const [position, index] of chunk.entries()) {
            const outcome = recordResult(saved[position], index, write, entity)
            results[index] = outcome
            const code = outcome.ok ? '' : (outcome.error.systemCode ?? '')
            if (!allOrNone && TRANSIENT.has(code) && round < ctx.options.lockRetries) retry.push(index)
          }
        } catch (error) {
          if (!(error instanceof JunctionError)) throw error
          // A refused call stops the rest (throttled, session refused); a malformed chunk does not.
          if (error.code !== 'VALIDATION_FAILED' && error.code !== 'BAD_REQUEST') failure = error
          for (const index of chunk) results[index] = { ok: false, index, error }
        }
      }
    }
    const workers = Math.min(ctx.options.collectionConcurrency, chunks.length)
    await Promise.all(Array.from({ length: workers }, worker))
    pending = retry
  }
  return results.map(
    (result, index) => result ?? { ok: false, index, error: missingResult(entity, write.kind) },
  )
}

function recordResult(
  result: SaveResults[number] | undefined,
  index: number,
  write: CollectionWrite,
  entity: string,
): WriteResult {
  if (result === undefined) return { ok: false, index, error: missingResult(entity, write.kind) }
  if (result.success) {
    return {
      ok: true,
      index,
      id: result.id ?? idOf(write, index),
      ...(result.created === undefined ? {} : { created: result.created }),
    }
  }
  const error = mapRecordError(
    result.errors.map((item) => ({
      statusCode: item.statusCode ?? item.errorCode ?? 'UNKNOWN_ERROR',
      message: item.message,
      fields: item.fields,
    })),
    { operation: write.kind, entity },
  )
  return { ok: false, index, id: result.id ?? undefined, error }
}

async function send(
  ctx: SalesforceContext,
  entity: string,
  write: CollectionWrite,
  chunk: readonly number[],
  allOrNone: boolean,
) {
  const type = apiName(entity)
  const attributes = { type }
  switch (write.kind) {
    case 'create':
      return saveResults(
        await call(ctx, {
          method: 'POST',
          path: 'composite/sobjects',
          body: {
            type: 'json',
            value: { allOrNone, records: chunk.map((index) => ({ attributes, ...write.records[index] })) },
          },
        }),
      )
    case 'update':
      return saveResults(
        await call(ctx, {
          method: 'PATCH',
          path: 'composite/sobjects',
          // Setting fields by id is idempotent: safe to retry after a dropped connection.
          idempotent: true,
          body: {
            type: 'json',
            value: {
              allOrNone,
              records: chunk.map((index) => {
                const update = write.records[index] as { id: string; values: EntityRecord }
                return { attributes, ...update.values, id: update.id }
              }),
            },
          },
        }),
      )
    case 'upsert':
      return saveResults(
        await call(ctx, {
          method: 'PATCH',
          path: `composite/sobjects/${type}/${apiName(write.externalId)}`,
          idempotent: true,
          body: {
            type: 'json',
            value: { allOrNone, records: chunk.map((index) => ({ attributes, ...write.records[index] })) },
          },
        }),
      )
    case 'delete':
      return saveResults(
        await call(ctx, {
          method: 'DELETE',
          path: 'composite/sobjects',
          query: { ids: chunk.map((index) => write.ids[index] as string).join(','), allOrNone },
        }),
      )
  }
}

type SaveResults = ReturnType<typeof saveResults>

function saveResults(response: Parameters<typeof readBody>[1]) {
  return readBody(saveResultsSchema, response)
}

function idOf(write: CollectionWrite, index: number): string | undefined {
  if (write.kind === 'delete') return write.ids[index]
  if (write.kind === 'update') return write.records[index]?.id
  return undefined
}

function backoff(ctx: SalesforceContext, round: number): number {
  return Math.random() * ctx.options.lockRetryDelayMs * 2 ** (round - 1)
}

function missingResult(entity: string, operation: string): JunctionError {
  return new JunctionError({
    code: 'MALFORMED_RESPONSE',
    message: 'salesforce answered a Collections call with fewer results than records',
    system: 'salesforce',
    operation,
    entity,
  })
}
