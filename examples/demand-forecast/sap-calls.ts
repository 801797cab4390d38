import type { Connector, JunctionRequest, Middleware } from '@junction/core'

/** Requests that went on the wire to the simulated SAP system, by kind. */
export interface SapCalls {
  total: number
  /** Entity reads (`GET` of a set or a record): the syncs' pages, the item reads, read-backs. */
  reads: number
  /** `$metadata` reads (once per service connection). */
  metadata: number
  /** CSRF token fetches before the first write. */
  csrf: number
  /** `POST $batch`: the only write path this example uses. */
  batch: number
  other: number
}

/** A zeroed counter. */
export function sapCalls(): SapCalls {
  return { total: 0, reads: 0, metadata: 0, csrf: 0, batch: 0, other: 0 }
}

function kindOf(request: JunctionRequest): Exclude<keyof SapCalls, 'total'> {
  const path = new URL(request.url).pathname
  if (request.headers['x-csrf-token']?.toLowerCase() === 'fetch') return 'csrf'
  if (path.endsWith('/$metadata')) return 'metadata'
  if (path.endsWith('/$batch')) return request.method === 'POST' ? 'batch' : 'other'
  return request.method === 'GET' ? 'reads' : 'other'
}

/**
 * Counts every request `connector` sends, innermost in its pipeline (so retries and token fetches
 * count as the calls they are), into `calls`; `onBatch` hears of each `$batch` as it goes out.
 */
export function countSapCalls(connector: Connector, calls: SapCalls, onBatch?: () => void): void {
  const count: Middleware =
    (next) =>
    <T>(request: JunctionRequest) => {
      const kind = kindOf(request)
      calls.total++
      calls[kind]++
      if (kind === 'batch') onBatch?.()
      return next<T>(request)
    }
  connector.stack.add('count-sap-calls', count, 'last')
}
