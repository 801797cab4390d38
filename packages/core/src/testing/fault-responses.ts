import { STATUS_CODES } from 'node:http'
import type { Fault } from './fault.js'

/** Statuses whose responses carry no body (a Fetch `Response` refuses one). */
const NULL_BODY_STATUSES = new Set([204, 205, 304])

const MAINTENANCE_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Down for maintenance</title></head>
<body>
<h1>We'll be back soon</h1>
<p>The service is undergoing scheduled maintenance. Please try again later.</p>
</body>
</html>
`

/** A canned answer: the fault's status (or `status`), `Retry-After`, headers and body. */
export function statusResponse(fault: Fault, status: number): Response {
  const headers = new Headers(fault.headers)
  if (fault.retryAfter !== undefined) headers.set('retry-after', String(fault.retryAfter))
  if (NULL_BODY_STATUSES.has(status)) return new Response(null, { status, headers })
  const body = fault.body ?? STATUS_CODES[status] ?? ''
  if (typeof body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain; charset=utf-8')
    return new Response(body, { status, headers })
  }
  if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  return new Response(JSON.stringify(body), { status, headers })
}

/** What a load balancer shows while the system behind it is down: HTML, and a 200. */
export function maintenancePage(fault: Fault): Response {
  const headers = new Headers(fault.headers)
  if (!headers.has('content-type')) headers.set('content-type', 'text/html; charset=utf-8')
  if (fault.retryAfter !== undefined) headers.set('retry-after', String(fault.retryAfter))
  return new Response(MAINTENANCE_PAGE, { status: fault.status ?? 200, headers })
}

/**
 * The real response's status and headers (with its full `content-length`), then the first half of
 * its body, then a stream error: each bridge turns that error into a connection dropped mid-body.
 */
export async function resetMidBody(real: Response): Promise<Response> {
  const bytes = new Uint8Array(await real.arrayBuffer())
  const sent = bytes.subarray(0, Math.floor(bytes.byteLength / 2))
  let pulls = 0
  // Erroring a stream discards what is still queued in it (and in any tee of it), so the error waits a
  // turn of the event loop, as a reset arriving after the data would: the client reads the half first.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      pulls += 1
      if (pulls === 1 && sent.byteLength > 0) return controller.enqueue(sent)
      await new Promise((resolve) => setImmediate(resolve))
      controller.error(new Error('connection reset (injected fault)'))
    },
  })
  const headers = new Headers(real.headers)
  headers.set('content-length', String(bytes.byteLength))
  return new Response(body, { status: real.status, statusText: real.statusText, headers })
}

/** The real response's text cut in half, as a complete, well-framed 200: a body no JSON parser accepts. */
export async function truncatedJson(real: Response): Promise<Response> {
  const text = await real.text()
  const cut = text.slice(0, Math.floor(text.length / 2))
  const headers = new Headers(real.headers)
  headers.delete('content-encoding')
  headers.set('content-length', String(Buffer.byteLength(cut)))
  if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  return new Response(cut, { status: 200, headers })
}
