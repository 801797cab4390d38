import { TableFault } from '../servicenow-tables.js'
import { json, jsonObject } from './sim-response.js'

interface RestRequest {
  id: string
  method: string
  url: string
  headers?: Array<{ name: string; value: string }>
  body?: string
  exclude_response_headers?: boolean
}

/**
 * `POST /api/now/v1/batch` (sheet §6.3): each `rest_requests` item (relative url, base64 body, header
 * list) is served by `serve` as if sent alone, its answer base64-encoded into `serviced_requests`.
 * Items past `maxServiced` stand for the 30 s quota cutting the batch: their ids go to `unserviced_requests`.
 */
export async function batchApi(
  request: Request,
  serve: (request: Request) => Promise<Response>,
  maxServiced: number,
): Promise<Response> {
  const body = await jsonObject(request)
  const items = body.rest_requests
  if (!Array.isArray(items))
    throw new TableFault(400, 'Invalid batch request', 'rest_requests must be an array')
  const origin = new URL(request.url).origin
  const serviced: unknown[] = []
  const unserviced: string[] = []
  for (const item of items as RestRequest[]) {
    if (serviced.length >= maxServiced) {
      unserviced.push(item.id)
      continue
    }
    const started = performance.now()
    const headers = new Headers(request.headers)
    headers.delete('content-length')
    for (const { name, value } of item.headers ?? []) headers.set(name, value)
    const inner = new Request(new URL(item.url, origin), {
      method: item.method,
      headers,
      ...(item.body === undefined || item.body === '' ? {} : { body: Buffer.from(item.body, 'base64') }),
    })
    const response = await serve(inner)
    const bytes = Buffer.from(await response.arrayBuffer())
    serviced.push({
      id: item.id,
      status_code: response.status,
      status_text: response.statusText || statusText(response.status),
      headers: item.exclude_response_headers
        ? []
        : [...response.headers].map(([name, value]) => ({ name, value })),
      body: bytes.toString('base64'),
      execution_time: Math.round(performance.now() - started),
    })
  }
  return json(200, {
    batch_request_id: body.batch_request_id ?? '',
    serviced_requests: serviced,
    unserviced_requests: unserviced,
  })
}

function statusText(status: number): string {
  return { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 404: 'Not Found' }[status] ?? ''
}
