import {
  ConfigError,
  composeTransformers,
  type EntityRecord,
  parseOptions,
  type Transformer,
  transformFailure,
  transformSuccess,
  upsertTarget,
  ValidationError,
  type WriteBackMap,
  type WriteBackTarget,
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
  map?: WriteBackMap<T, EntityRecord>
  /** The target's name in write-back results and approvals (default the connector's name). */
  name?: string
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/
const optionsSchema = z.object({
  sObject: z.string().regex(API_NAME, 'must be an sObject API name (letters, digits, underscores)'),
  externalId: z.string().regex(API_NAME, 'must be a field API name (letters, digits, underscores)'),
  name: z.string().min(1).optional(),
})

/**
 * Writes canonical results (scores, forecasts, classifications) to Salesforce by upsert on an
 * external id: core's `upsertTarget`, with every record checked for an external-id value before it is
 * sent. All records of a write go to the connector in one `upsert`, so its own routing picks the path:
 * one record the single-record PATCH, up to `bulkThreshold` sObject Collections (200 a call), above it
 * one Bulk API 2.0 ingest job. One `WriteResult` per result, in input order: a result that does not
 * map or has no external-id value fails without being sent, a record Salesforce refuses fails with its
 * `statusCode`, and a call refused as a whole (auth, limits) fails its records rather than throwing.
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
  // What only Salesforce needs of a record before it is sent: a value for the external-id field.
  const withExternalId: Transformer<unknown, EntityRecord> = {
    name: `salesforce upsert of ${sObject} by ${externalId}`,
    transform(record) {
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        return transformFailure('invalid_type', 'the result is not a record')
      }
      try {
        externalIdValue(record as EntityRecord, externalId)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return {
          ok: false,
          issues: [{ path: [externalId], code: 'missing', message: 'needs a value to upsert on' }],
        }
      }
      return transformSuccess(record as EntityRecord)
    },
  }
  const given: Transformer<T, unknown> | undefined =
    typeof map === 'function' ? { name: 'map', transform: (value) => transformSuccess(map(value)) } : map
  return upsertTarget({
    connector,
    entity: sObject,
    externalId,
    map: given === undefined ? withExternalId : composeTransformers(given, withExternalId),
    name: name ?? connector.name,
  })
}
