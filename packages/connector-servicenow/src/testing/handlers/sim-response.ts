import { TableFault } from '../servicenow-tables.js'

// The exact content type ServiceNow sends (no space before charset), which some clients trip on.
const JSON_TYPE = 'application/json;charset=UTF-8'

/** A JSON answer with ServiceNow's content type. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, ...headers } })
}

/** An empty answer (204, or a write with `X-no-response-body`). */
export function empty(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers })
}

/** The error envelope (sheet §7.1): `{"error":{"message","detail"},"status":"failure"}`. */
export function errorResponse(fault: TableFault, headers: Record<string, string> = {}): Response {
  return json(
    fault.status,
    { error: { message: fault.message, detail: fault.detail }, status: 'failure' },
    headers,
  )
}

/** The request body as a JSON object, or the 400 the instance answers. */
export async function jsonObject(request: Request): Promise<Record<string, unknown>> {
  const body: unknown = await request.json().catch(() => undefined)
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TableFault(400, 'Exception while reading request', 'The payload is not valid JSON.')
  }
  return body as Record<string, unknown>
}

/** A non-negative integer query parameter, or the fallback. */
export function count(value: string | null, fallback: number): number {
  if (value === null || !/^\d+$/.test(value)) return fallback
  return Number(value)
}
