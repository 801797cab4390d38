import { requestPath } from '../observability/request-path.js'
import type { JunctionRequest } from '../pipeline/request.js'

/**
 * A breaker key per endpoint: the method and the first `segments` path segments, e.g.
 * `endpointKey(3)` keys `GET /api/now/table/incident/42` as `GET /api/now/table`. Keep record ids out
 * of the key: every distinct key is a breaker of its own.
 */
export function endpointKey(segments: number): (request: JunctionRequest) => string {
  return (request) => {
    const parts = requestPath(request.url).split('/', segments + 1)
    return `${request.method} ${parts.join('/') || '/'}`
  }
}
