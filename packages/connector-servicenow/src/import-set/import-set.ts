import { setTimeout as sleep } from 'node:timers/promises'
import { type EntityRecord, JunctionError, TimeoutError, ValidationError } from '@junction/core'
import { z } from 'zod'
import { encodedQueryValue, tableName } from '../query/encoded-query.js'
import type { ServiceNowContext } from '../servicenow-context.js'
import { readBody } from '../servicenow-responses.js'
import { wireRecord } from '../table/wire-values.js'
import {
  type ImportResult,
  importResult,
  type TransformOutcome,
  type TransformStatus,
} from './import-results.js'

/** How `importRows` writes into a staging table. */
export interface ImportOptions {
  /**
   * `single` (default): one `POST /api/now/import/{table}` per row, transformed synchronously.
   * `multiple`: `insertMultiple` in chunks, then the per-row outcome read from `sys_import_set_row`.
   */
  mode?: 'single' | 'multiple'
  /** Rows per insertMultiple call (default 200, the SOAP-era guidance, sheet §5.2). */
  chunkSize?: number
  /** How often to look for finished async transforms, in ms (default 250). */
  pollIntervalMs?: number
  /** How long to wait for async transforms before failing the pending rows, in ms (default 60 s). */
  waitMs?: number
}

const TRANSFORM_STATUSES = ['inserted', 'updated', 'ignored', 'skipped', 'error'] as const

const singleResponseSchema = z.object({
  import_set: z.string().optional(),
  result: z
    .array(
      z.looseObject({
        status: z.string(),
        table: z.string().optional(),
        transform_map: z.string().optional(),
        sys_id: z.string().optional(),
        status_message: z.string().optional(),
        error_message: z.string().optional(),
      }),
    )
    .default([]),
})

const multipleResponseSchema = z.object({
  import_set_id: z.string().min(1),
  multi_import_set_id: z.string().optional(),
})

/** Writes rows into a staging table and reports, per row, what the transform maps did with it. */
export async function importRows(
  ctx: ServiceNowContext,
  staging: string,
  rows: readonly EntityRecord[],
  options: ImportOptions = {},
): Promise<ImportResult[]> {
  tableName(staging)
  if (options.mode === 'multiple') return importMultiple(ctx, staging, rows, options)
  const results: ImportResult[] = []
  for (const [index, row] of rows.entries()) {
    try {
      const response = await ctx.request({
        method: 'POST',
        path: `api/now/import/${staging}`,
        body: { type: 'json', value: wireRecord(row, staging) },
        responseType: 'json',
      })
      // An ACL-filtered import can answer 201 with an empty body (KB3047115): no outcome to report.
      const body =
        response.body === undefined
          ? { result: [] }
          : readBody(singleResponseSchema, response, 'an Import Set API answer')
      const transforms = body.result.map(
        (entry): TransformOutcome => ({
          status: transformStatus(entry.status),
          table: entry.table,
          transformMap: entry.transform_map,
          sysId: entry.sys_id,
          message: entry.error_message || entry.status_message || undefined,
        }),
      )
      results.push(importResult(index, transforms))
    } catch (error) {
      if (!(error instanceof JunctionError)) throw error
      results.push({ ok: false, index, error, transforms: [] })
    }
  }
  return results
}

async function importMultiple(
  ctx: ServiceNowContext,
  staging: string,
  rows: readonly EntityRecord[],
  options: ImportOptions,
): Promise<ImportResult[]> {
  const chunkSize = options.chunkSize ?? 200
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new ValidationError({
      message: 'servicenow import: chunkSize must be a positive integer',
      system: 'servicenow',
    })
  }
  const results: ImportResult[] = []
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize)
    try {
      const response = await ctx.request({
        method: 'POST',
        path: `api/now/import/${staging}/insertMultiple`,
        body: { type: 'json', value: { records: chunk.map((row) => wireRecord(row, staging)) } },
        responseType: 'json',
      })
      const { import_set_id: set } = readBody(multipleResponseSchema, response, 'an insertMultiple answer')
      results.push(...(await settledRows(ctx, set, chunk.length, start, options)))
    } catch (error) {
      if (!(error instanceof JunctionError)) throw error
      results.push(
        ...chunk.map((_, offset) => ({ ok: false as const, index: start + offset, error, transforms: [] })),
      )
    }
  }
  return results
}

const rowSchema = z.looseObject({
  sys_id: z.string(),
  sys_import_row: z.string(),
  sys_import_state: z.string(),
  sys_import_state_comment: z.string().optional(),
  sys_row_error: z.string().optional(),
  sys_target_sys_id: z.string().optional(),
  sys_target_table: z.string().optional(),
  sys_transform_map: z.string().optional(),
})

/**
 * insertMultiple answers before it transforms (asynchronous by default, sheet §5.2) and returns no
 * per-row results, so the rows of the import set are read from `sys_import_set_row` until none is
 * pending. UNVERIFIED: the column names (`sys_import_state`, `sys_target_sys_id`, `sys_row_error`…)
 * and state values are the instance's as commonly reported, not from the sheet's sources.
 */
async function settledRows(
  ctx: ServiceNowContext,
  set: string,
  expected: number,
  start: number,
  options: ImportOptions,
): Promise<ImportResult[]> {
  const interval = options.pollIntervalMs ?? 250
  const deadline = Date.now() + (options.waitMs ?? 60_000)
  for (;;) {
    const response = await ctx.request({
      path: 'api/now/table/sys_import_set_row',
      query: {
        sysparm_query: `sys_import_set=${encodedQueryValue(set)}^ORDERBYsys_import_row`,
        sysparm_fields:
          'sys_id,sys_import_row,sys_import_state,sys_import_state_comment,sys_row_error,sys_target_sys_id,sys_target_table,sys_transform_map',
        sysparm_exclude_reference_link: true,
        sysparm_limit: expected,
        sysparm_suppress_pagination_header: true,
      },
      responseType: 'json',
    })
    const rows = readBody(
      z.object({ result: z.array(rowSchema) }),
      response,
      'sys_import_set_row rows',
    ).result
    const pending = rows.length < expected || rows.some((row) => !isTransformStatus(row.sys_import_state))
    if (!pending) {
      return rows.map((row) =>
        importResult(
          start + Number(row.sys_import_row) - 1,
          [
            {
              status: row.sys_import_state as TransformStatus,
              table: row.sys_target_table,
              transformMap: row.sys_transform_map,
              sysId: row.sys_target_sys_id || row.sys_id,
              message: row.sys_row_error || row.sys_import_state_comment || undefined,
            },
          ],
          row.sys_id,
        ),
      )
    }
    if (Date.now() >= deadline) {
      throw new TimeoutError({
        message: `servicenow import: the import set's transforms were not finished after ${options.waitMs ?? 60_000} ms`,
        system: 'servicenow',
        operation: 'import',
      })
    }
    await sleep(interval, undefined, { signal: ctx.signal })
  }
}

function isTransformStatus(value: string): value is TransformStatus {
  return (TRANSFORM_STATUSES as readonly string[]).includes(value)
}

function transformStatus(value: string): TransformStatus {
  return isTransformStatus(value) ? value : 'error'
}
