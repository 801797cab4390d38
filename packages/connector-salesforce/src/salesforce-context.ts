import type { ConnectorContext, ConnectorRequest, JunctionResponse } from '@junction/core'
import type { z } from 'zod'
import type { salesforceOptionsShape } from './salesforce-options.js'
import type { SalesforceSession } from './salesforce-session.js'

/** The adapter's options after parsing. */
export type SalesforceResolvedOptions = z.output<z.ZodObject<typeof salesforceOptionsShape>>

/** A describe answer as the connector keeps it. */
export interface DescribeEntry {
  expiresAt: number
  value: Promise<SObjectDescribe>
}

/** The parts of `GET sobjects/{name}/describe` the connector reads; the rest passes through. */
export interface SObjectDescribe {
  name: string
  fields: Array<{ name: string; type: string; externalId?: boolean; [key: string]: unknown }>
  [key: string]: unknown
}

/** Per-connection state. */
export interface SalesforceState {
  /** Present with OAuth: knows the instance the token belongs to. */
  session: SalesforceSession | undefined
  /** `services/data/v62.0`, relative to the instance. */
  dataPath: string
  /** Describe answers by lower-cased sObject name. */
  describes: Map<string, DescribeEntry>
}

/** What each operation of the adapter is handed. */
export type SalesforceContext = ConnectorContext<SalesforceResolvedOptions, SalesforceState>

/** Sends a request under `services/data/vXX.X/` (or to an absolute `/services/…` path), with call options. */
export function call<T = unknown>(
  ctx: SalesforceContext,
  request: ConnectorRequest,
): Promise<JunctionResponse<T>> {
  const path = request.path ?? ''
  const clientName = ctx.options.clientName
  return ctx.request<T>({
    ...request,
    path: path.startsWith('/') ? path : `${ctx.state.dataPath}/${path}`,
    headers:
      clientName === undefined
        ? request.headers
        : { 'sforce-call-options': `client=${clientName}`, ...request.headers },
  })
}
