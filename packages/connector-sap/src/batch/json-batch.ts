import { TransportError } from '@junction/core'
import type { BatchGroup, BatchGroupResponse, BatchPartResponse } from './batch-types.js'

interface JsonBatchResponse {
  id?: unknown
  status?: unknown
  headers?: unknown
  body?: unknown
}

/**
 * An OData 4.01 JSON `$batch` body (sheet §4.3): each changeset becomes an `atomicityGroup`. Whether
 * SAP Gateway V4 accepts JSON batch is UNVERIFIED; multipart is the connector's default.
 */
export function buildJsonBatch(groups: readonly BatchGroup[]): unknown {
  const requests = groups.flatMap((group, index) => {
    const parts = group.kind === 'single' ? [group.part] : group.parts
    return parts.map((part) => ({
      id: part.contentId,
      ...(group.kind === 'changeset' ? { atomicityGroup: `g${index + 1}` } : {}),
      method: part.method.toLowerCase(),
      url: part.url,
      headers: part.headers,
      ...(part.body === undefined ? {} : { body: part.body }),
    }))
  })
  return { requests }
}

/**
 * Matches a JSON batch answer to the groups by request id. A failed atomicity group may answer with
 * fewer responses than requests; its parts then share the group's first error.
 */
export function parseJsonBatch(body: unknown, groups: readonly BatchGroup[]): BatchGroupResponse[] {
  const responses = (body as { responses?: unknown })?.responses
  if (!Array.isArray(responses)) throw malformed('a JSON $batch answer has no responses array')
  const byId = new Map<string, BatchPartResponse>()
  for (const item of responses as JsonBatchResponse[]) {
    if (typeof item.status !== 'number') throw malformed('a JSON $batch response has no status')
    byId.set(String(item.id), {
      status: item.status,
      headers: lowerCased(item.headers),
      body: item.body,
    })
  }
  return groups.map((group) => {
    const parts = group.kind === 'single' ? [group.part] : group.parts
    const found = parts.map((part) => byId.get(part.contentId))
    const failure = found.find((response) => response !== undefined && response.status >= 400)
    if (group.kind === 'changeset' && failure !== undefined) return [failure]
    return found.map((response) => {
      if (response === undefined) throw malformed('a JSON $batch answer misses a request id')
      return response
    })
  })
}

function lowerCased(headers: unknown): Record<string, string> {
  if (typeof headers !== 'object' || headers === null) return {}
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
  )
}

function malformed(message: string): TransportError {
  return new TransportError({ code: 'MALFORMED_RESPONSE', message: `sap: ${message}`, system: 'sap' })
}
