import type { ConnectorContext, JunctionResponse, RequestBody } from '@junction/core'
import type { z } from 'zod'
import { parseEdmx } from './metadata/parse-edmx.js'
import type { EntitySetInfo, ODataVersion, ServiceMetadata } from './metadata/service-metadata.js'
import type { sapOptionsShape } from './sap-options.js'

/** Per-connection state: the protocol version and the `$metadata` once read. */
export interface SapState {
  version: ODataVersion
  metadata: Promise<ServiceMetadata> | undefined
}

/** The parsed adapter options. */
export type SapResolvedOptions = z.output<z.ZodObject<typeof sapOptionsShape>> & {
  transport?: { tls?: { cert?: unknown } | undefined } | undefined
}

/** What every SAP operation is handed. */
export type SapContext = ConnectorContext<SapResolvedOptions, SapState>

/** The service's `$metadata`, read once per connection (a failed read is tried again next time). */
export function serviceMetadata(ctx: SapContext): Promise<ServiceMetadata> {
  ctx.state.metadata ??= ctx
    .request<string>({ path: '$metadata', headers: { accept: 'application/xml' }, responseType: 'text' })
    .then((response: JunctionResponse<string>) => parseEdmx(response.body))
    .catch((error: unknown) => {
      ctx.state.metadata = undefined
      throw error
    })
  return ctx.state.metadata
}

/** The entity set's metadata, or `undefined` when `$metadata` is switched off or does not list it. */
export async function entitySet(ctx: SapContext, name: string): Promise<EntitySetInfo | undefined> {
  if (!ctx.options.metadata) return undefined
  return (await serviceMetadata(ctx)).entitySets.get(name)
}

/**
 * Headers every JSON call carries. V4 asks for Int64 and Decimal as strings (`IEEE754Compatible=true`),
 * so they stay exact; SAP's default number format is UNVERIFIED, and numbers are read either way.
 */
export function jsonHeaders(version: ODataVersion): Record<string, string> {
  return version === 'v4'
    ? { accept: 'application/json;IEEE754Compatible=true' }
    : { accept: 'application/json' }
}

/** A JSON write payload; in V4 marked `IEEE754Compatible=true`, as its Decimal and Int64 are strings. */
export function jsonBody(version: ODataVersion, value: unknown): RequestBody {
  return version === 'v4'
    ? { type: 'raw', value: JSON.stringify(value), contentType: 'application/json;IEEE754Compatible=true' }
    : { type: 'json', value }
}
