import { AsyncLocalStorage } from 'node:async_hooks'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SalesforceConnector } from '@junction/connector-salesforce'
import { isJunctionError, toSalesforceId18 } from '@junction/core'

const ROUTE = /^\/leads\/([^/]+)\/score\/?$/

/** What `GET /leads/:id/score` answers with 200. */
export interface ScoreAnswer {
  id: string
  score: number
  tier: string | null
  modelVersion: string | null
  scoredAt: string | null
}

/** A running score endpoint. */
export interface ScoreEndpoint {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  close(): Promise<void>
}

/** How the endpoint caches: how long a lead's score is served without asking Salesforce again. */
export interface ScoreEndpointOptions {
  ttlMs: number
}

/**
 * Serves `GET /leads/:id/score` (15- or 18-character ids) on 127.0.0.1: the lead's stored score, read
 * with the connector's `get` and a cache directive keyed by the 18-character id (`get` tags the entry
 * `Lead:<id>`), so a later upsert of the lead through a connector on the same cache drops the entry. Each answer says
 * in `x-cache` whether the connector's cache served it (`hit`) or Salesforce did (`miss`).
 */
export async function startScoreEndpoint(
  crm: SalesforceConnector,
  options: ScoreEndpointOptions,
): Promise<ScoreEndpoint> {
  // The cache event is emitted inside the request's own async call chain, so it can be tied to it.
  const cacheResult = new AsyncLocalStorage<{ result?: string }>()
  const stopListening = crm.events.on('cache', (event) => {
    const store = cacheResult.getStore()
    if (store !== undefined) store.result = event.result === 'miss' ? 'miss' : 'hit'
  })

  const answer = async (id: string): Promise<{ status: number; body: unknown; cache?: string }> => {
    const state: { result?: string } = {}
    try {
      // `get` with a cache directive: the entry is tagged with the record, so an upsert drops it.
      const record = await cacheResult.run(state, () =>
        crm.get('Lead', id, { cache: { key: `lead-score:${id}`, ttlMs: options.ttlMs } }),
      )
      if (record === undefined) {
        return { status: 404, body: { error: { code: 'NOT_FOUND', id } }, cache: state.result }
      }
      if (typeof record.Score__c !== 'number') {
        return { status: 404, body: { error: { code: 'NOT_SCORED', id } }, cache: state.result }
      }
      const body: ScoreAnswer = {
        id,
        score: record.Score__c,
        tier: typeof record.ScoreTier__c === 'string' ? record.ScoreTier__c : null,
        modelVersion: typeof record.ScoreModelVersion__c === 'string' ? record.ScoreModelVersion__c : null,
        scoredAt: typeof record.ScoredAt__c === 'string' ? record.ScoredAt__c : null,
      }
      return { status: 200, body, cache: state.result }
    } catch (error) {
      // The connector's errors carry no secret; only the stable code goes out to the caller.
      const code = isJunctionError(error) ? error.code : 'UNEXPECTED'
      return { status: 502, body: { error: { code, id } }, cache: state.result }
    }
  }

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    const match = ROUTE.exec(path)
    if (match === null) return send(response, 404, { error: { code: 'NO_ROUTE' } })
    if (request.method !== 'GET') return send(response, 405, { error: { code: 'METHOD_NOT_ALLOWED' } })
    const given = decodeURIComponent(match[1] ?? '')
    const id = toSalesforceId18(given)
    if (id === undefined) return send(response, 400, { error: { code: 'INVALID_ID' } })
    const result = await answer(id)
    send(response, result.status, result.body, result.cache)
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => send(response, 500, { error: { code: 'UNEXPECTED' } }))
  })
  // Keep-alive well past the client's idle timeout, so a pooled connection is never closed under it.
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      stopListening()
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
    },
  }
}

function send(response: ServerResponse, status: number, body: unknown, cache?: string): void {
  if (response.headersSent) return
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(cache === undefined ? {} : { 'x-cache': cache }),
  })
  response.end(text)
}
