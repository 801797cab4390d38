import type { ErrorOrigin } from '../errors/junction-error.js'
import { bodySnippet } from '../pipeline/http-errors.js'
import type { JunctionRequest } from '../pipeline/request.js'

// Enough bytes for a 512-character snippet even if every character takes four.
const SNIPPET_BYTES = 2048

/** Where a call went, for an error: method and path, never the query string (it may hold keys). */
export function callOrigin(request: JunctionRequest): ErrorOrigin & { method: string } {
  return {
    method: request.method,
    path: urlPath(request.url),
    operation: request.operation?.name,
    entity: request.operation?.entity,
  }
}

/** How an error message names a call, e.g. `GET /api/now/table/incident`. */
export function describeCall(request: JunctionRequest): string {
  return `${request.method} ${urlPath(request.url) ?? '(invalid URL)'}`
}

/** A bounded excerpt of the first bytes that came back, decoded as UTF-8. */
export function byteSnippet(received: readonly Buffer[]): string | undefined {
  const head: Buffer[] = []
  let size = 0
  for (const chunk of received) {
    if (size >= SNIPPET_BYTES) break
    head.push(chunk)
    size += chunk.length
  }
  return size === 0 ? undefined : bodySnippet(Buffer.concat(head, Math.min(size, SNIPPET_BYTES)))
}

function urlPath(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).pathname : undefined
}
