import {
  type BatchOperation,
  type BatchResult,
  type Change,
  type ChangesOptions,
  ConfigError,
  type Connector,
  defineConnector,
  type EntityRecord,
  type OperationOptions,
} from '@junction/core'
import { csrfMiddleware } from './csrf/csrf-middleware.js'
import { CsrfSession } from './csrf/csrf-session.js'
import type { ServiceMetadata } from './metadata/service-metadata.js'
import { runBatch, type SapBatchOptions } from './sap-batch.js'
import { readChanges } from './sap-changes.js'
import { sapClientMiddleware } from './sap-client-middleware.js'
import { type SapResolvedOptions, type SapState, serviceMetadata } from './sap-context.js'
import { mapSapError } from './sap-errors.js'
import { type SapOptions, sapOptionsShape } from './sap-options.js'
import { countEntities, getEntity, queryEntities, type SapQuery } from './sap-read.js'
import { createEntities, deleteEntities, updateEntities } from './sap-write.js'
import { type BapiCallOptions, type BapiResult, callBapi } from './soap/bapi-call.js'
import type { RfcStructure } from './soap/rfc-values.js'

/** The SAP connector: the portable operations, plus OData counts, `$metadata` and BAPI calls. */
export interface SapConnector extends Connector {
  /** Every matching record; `expand` adds OData `$expand`. */
  query(entity: string, query?: SapQuery, options?: OperationOptions): AsyncIterable<EntityRecord>
  /** How many records match (`$inlinecount` / `$count`). */
  count(entity: string, query?: SapQuery, options?: OperationOptions): Promise<number>
  /** The service's `$metadata`, parsed (entity sets, keys, property types, ETag sources). */
  metadata(options?: OperationOptions): Promise<ServiceMetadata>
  /** Calls an RFC-enabled function module (a BAPI) over SOAP-RFC on the same host. */
  bapi(
    name: string,
    parameters: RfcStructure,
    options?: BapiCallOptions & OperationOptions,
  ): Promise<BapiResult>
  /** Several operations in `$batch` requests; `changesetSize` groups consecutive writes (all or none each). */
  batch(operations: readonly BatchOperation[], options?: SapBatchOptions): Promise<BatchResult[]>
  /** Changes since a cursor or a time, oldest first, from `LastChangeDateTime` watermarks. */
  changes(entity: string, options?: ChangesOptions): AsyncIterable<Change>
}

const connect = defineConnector({
  system: 'sap',
  options: sapOptionsShape,
  mapError: mapSapError,
  setup(options, auth): SapState {
    const resolved = options as SapResolvedOptions
    if (auth === undefined && resolved.transport?.tls?.cert === undefined) {
      throw new ConfigError({
        message: 'sap needs auth (basic, oauth2-client-credentials) or a client certificate (transport.tls)',
        option: 'auth',
      })
    }
    const version =
      options.version ?? (new URL(options.serviceRoot).pathname.includes('/odata4/') ? 'v4' : 'v2')
    return { version, metadata: undefined }
  },
  middleware(stack, options) {
    if (options.client !== undefined) stack.add('sap-client', sapClientMiddleware(options.client))
    if (options.csrf !== false) {
      // Above auth, so the token fetch is authorized like any call, and below retry and the limiter.
      const session = new CsrfSession(options.serviceRoot, options.csrf.fetchMethod)
      stack.add('csrf', csrfMiddleware(session, options.serviceRoot), {
        before: stack.has('auth') ? 'auth' : 'errors',
      })
    }
  },
  baseUrl: (ctx) => ctx.options.serviceRoot,
  get: getEntity,
  query: queryEntities,
  create: createEntities,
  update: updateEntities,
  delete: deleteEntities,
  batch: (ctx, operations, options) => runBatch(ctx, operations, options),
  changes: readChanges,
  extend: (runner) => ({
    count: (entity: string, query: SapQuery = {}, options?: OperationOptions) =>
      runner.run({ name: 'count', entity }, options, (ctx) => countEntities(ctx, entity, query)),
    metadata: (options?: OperationOptions) =>
      runner.run({ name: 'metadata' }, options, (ctx) => serviceMetadata(ctx)),
    bapi: (name: string, parameters: RfcStructure, options?: BapiCallOptions & OperationOptions) =>
      runner.run({ name: 'bapi', entity: name }, options, (ctx) => callBapi(ctx, name, parameters, options)),
  }),
})

/**
 * An SAP connector for one OData service: V2 (`/sap/opu/odata/sap/<SERVICE>`) or V4
 * (`/sap/opu/odata4/…/0001`), with `sap-client`, CSRF tokens for writes, ETags, `$batch`, and
 * BAPI calls over SOAP-RFC on the same host.
 */
export function sap(options: SapOptions): SapConnector {
  return connect(options) as SapConnector
}
