import { ApiFault } from './api-fault.js'

/** One REST call inside the simulator: from msw, or a Composite subrequest re-entering the router. */
export interface SimRequest {
  method: string
  /** The path after `/services/data/vXX.X`, e.g. `/sobjects/Account/001…` (no query string). */
  path: string
  /** `v62.0` */
  version: string
  query: URLSearchParams
  headers: Headers
  /** The raw body text ('' when none). */
  text: string
}

/** What a route answers: a JSON body by default, or text with its own content type. */
export interface SimResponse {
  status: number
  body?: unknown
  /** Set for non-JSON bodies (CSV). */
  contentType?: string
  headers?: Record<string, string>
}

/** A route of the REST router. */
export interface Route {
  method: string
  pattern: RegExp
  handle(request: SimRequest, match: RegExpExecArray): SimResponse | Promise<SimResponse>
}

/** The body parsed as a JSON object; 400 `JSON_PARSER_ERROR` otherwise. */
export function jsonObject(request: SimRequest): Record<string, unknown> {
  const body = jsonBody(request)
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiFault(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object')
  }
  return body as Record<string, unknown>
}

/** The body parsed as JSON; 400 `JSON_PARSER_ERROR` when it is not JSON. */
export function jsonBody(request: SimRequest): unknown {
  try {
    return JSON.parse(request.text)
  } catch {
    throw new ApiFault(400, 'JSON_PARSER_ERROR', 'Unexpected character in the request body: not JSON')
  }
}

/** The REST error array for a fault (sheet §6.1). */
export function faultResponse(fault: ApiFault): SimResponse {
  return {
    status: fault.status,
    body: [
      {
        message: fault.message,
        errorCode: fault.errorCode,
        ...(fault.fields.length > 0 ? { fields: fault.fields } : {}),
      },
    ],
  }
}

/** The per-record error of Collections (`statusCode`, not `errorCode`; sheet §4.4). */
export function recordError(fault: ApiFault): { statusCode: string; message: string; fields: string[] } {
  return { statusCode: fault.errorCode, message: fault.message, fields: [...fault.fields] }
}

/** Runs the first route that matches; 404 `NOT_FOUND` when none does. */
export async function route(routes: readonly Route[], request: SimRequest): Promise<SimResponse> {
  let methodMismatch = false
  for (const candidate of routes) {
    const match = candidate.pattern.exec(request.path)
    if (match === null) continue
    if (candidate.method !== request.method) {
      methodMismatch = true
      continue
    }
    try {
      return await candidate.handle(request, match)
    } catch (error) {
      if (error instanceof ApiFault) return faultResponse(error)
      throw error
    }
  }
  if (methodMismatch) {
    return faultResponse(
      new ApiFault(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${request.method}' not allowed. Allowed are GET,HEAD,PATCH,POST,DELETE`,
      ),
    )
  }
  return faultResponse(new ApiFault(404, 'NOT_FOUND', 'The requested resource does not exist'))
}
