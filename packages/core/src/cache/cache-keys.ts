import { createHash } from 'node:crypto'
import type { RecordId } from '../connector/connector.js'
import { ValidationError } from '../errors/error-kinds.js'
import type { JunctionRequest, RequestBody } from '../pipeline/request.js'
import { buildUrl } from '../transport/build-url.js'

/**
 * The prefix of every cache key and tag of one tenant's connection, e.g. `acme:crm`. The parts are
 * percent-encoded, so `a:b` + `c` and `a` + `b:c` never share a namespace.
 */
export function cacheNamespace(tenant: string, connection: string): string {
  return `${encodeURIComponent(tenant)}:${encodeURIComponent(connection)}`
}

/**
 * The tag for one record, `${entity}:${id}`: adapters put it on every cached read that returns the
 * record (`cache: { tags: [recordTag('Account', id)] }`), and writes invalidate it. A composite key is
 * written as its fields sorted by name, `name=value` joined by `,` (percent-encoded), in any order given.
 */
export function recordTag(entity: string, id: RecordId): string {
  if (typeof id === 'string') return `${entity}:${id}`
  const fields = Object.keys(id)
    .sort()
    .map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(String(id[name]))}`)
  return `${entity}:${fields.join(',')}`
}

const bodyText = (body: RequestBody | undefined): string | undefined => {
  if (body === undefined) return ''
  switch (body.type) {
    case 'json':
      return JSON.stringify(body.value)
    case 'text':
    case 'xml':
      return body.value
    case 'form':
      return new URLSearchParams(body.value as Record<string, string>).toString()
    default:
      return undefined
  }
}

/**
 * A key for a request that names none: a SHA-256 of what decides the answer (method, URL with query,
 * `accept`, response type, body), so long URLs make short keys and no header secret ends up in one.
 */
export function requestCacheKey(request: JunctionRequest): string {
  const body = bodyText(request.body)
  if (body === undefined) {
    throw new ValidationError({
      message: `a ${request.body?.type} request body cannot be hashed into a cache key: give cache.key`,
      operation: request.operation?.name,
    })
  }
  const parts = [
    request.method,
    buildUrl(request.url, request.query),
    request.headers.accept ?? '',
    request.responseType ?? 'auto',
    body,
  ]
  return `request:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url')}`
}
