import {
  ConfigError,
  type EntityRecord,
  JunctionError,
  parseOptions,
  type Transformer,
  ValidationError,
  type WriteBackTarget,
  type WriteResult,
} from '@junction/core'
import { z } from 'zod'
import { externalIdValue } from '../operations/single-record.js'
import type { SalesforceConnector } from '../salesforce-connector.js'

/** Options for `salesforceUpsertTarget`. */
export interface SalesforceUpsertTargetOptions<T> {
  /** The sObject written, e.g. `Lead` or `Demand_Forecast__c`. */
  sObject: string
  /** The sObject's external-id field the upsert matches on: a replay updates, never duplicates. */
  externalId: string
  /** Canonical result → Salesforce record carrying `externalId`; a result it refuses fails unsent. */
  map?: Transformer<T, EntityRecord> | ((value: T) => EntityRecord)
  /** The target's name in write-back results and approvals (default the connector's name). */
  name?: string
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/
const optionsSchema = z.object({
  sObject: z.string().regex(API_NAME, 'must be an sObject API name (letters, digits, underscores)'),
  externalId: z.string().regex(API_NAME, 'must be a field API name (letters, digits, underscores)'),
  name: z.string().min(1).optional(),
})

type Mapped = { ok: true; record: EntityRecord } | { ok: false; error: ValidationError }

/**
 * Writes canonical results (scores, forecasts, classifications) to Salesforce by upsert on an
 * external id. All records of a write go to the connector in one `upsert`, so its own routing picks
 * the path: one record the single-record PATCH, up to `bulkThreshold` sObject Collections (200 a
 * call), above it one Bulk API 2.0 ingest job. One `WriteResult` per result, in input order: a result
 * that does not map or has no external-id value fails without being sent, a record Salesforce refuses
 * fails with its `statusCode`, and a call refused as a whole (auth, limits) fails its records rather
 * than throwing.
 */
export function salesforceUpsertTarget<T>(
  connector: SalesforceConnector,
  options: SalesforceUpsertTargetOptions<T>,
): WriteBackTarget<T> {
  if (typeof connector?.upsert !== 'function') {
    throw new ConfigError({
      message: 'salesforceUpsertTarget needs a Salesforce connector',
      option: 'connector',
    })
  }
  const { sObject, externalId, name } = parseOptions(optionsSchema, options, 'salesforceUpsertTarget')
  const { map } = options
  const refused = (message: string, details?: unknown) =>
    new ValidationError({
      message: `salesforce write-back to ${sObject}: ${message}`,
      system: 'salesforce',
      operation: 'upsert',
      entity: sObject,
      details,
    })

  const toRecord = (value: T): Mapped => {
    let record: EntityRecord
    if (map === undefined) {
      record = value as unknown as EntityRecord
    } else if (typeof map === 'function') {
      record = map(value)
    } else {
      const result = map.transform(value)
      if (!result.ok) {
        const codes = [...new Set(result.issues.map((issue) => issue.code))].join(', ')
        return { ok: false, error: refused(`the result did not map (${codes})`, result.issues) }
      }
      record = result.value
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      return { ok: false, error: refused('the result is not a record') }
    }
    try {
      externalIdValue(record, externalId)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      return { ok: false, error: refused(`the record has no value for ${externalId}`) }
    }
    return { ok: true, record }
  }

  return {
    name: name ?? connector.name,
    async write(values, context) {
      const results: Array<WriteResult | undefined> = new Array(values.length)
      const sendable: Array<{ index: number; record: EntityRecord }> = []
      values.forEach((value, index) => {
        const mapped = toRecord(value)
        if (mapped.ok) sendable.push({ index, record: mapped.record })
        else results[index] = { ok: false, index, error: mapped.error }
      })
      if (sendable.length > 0) {
        try {
          const written = await connector.upsert(
            sObject,
            sendable.map((item) => item.record),
            { externalId, signal: context.signal, correlationId: context.correlationId },
          )
          for (const result of written) {
            const index = sendable[result.index]?.index
            if (index !== undefined) results[index] = { ...result, index }
          }
        } catch (error) {
          if (!(error instanceof JunctionError)) throw error
          for (const { index } of sendable) results[index] = { ok: false, index, error }
        }
      }
      return results.map(
        (result, index) =>
          result ?? {
            ok: false,
            index,
            error: new JunctionError({
              code: 'MALFORMED_RESPONSE',
              message: `salesforce write-back to ${sObject}: the upsert reported no result for this record`,
              system: 'salesforce',
              operation: 'upsert',
              entity: sObject,
            }),
          },
      )
    },
  }
}
