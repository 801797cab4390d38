import type { JunctionRequest } from '../pipeline/request.js'

/** A copy of `request` with header `name` set to `value`, replacing any spelling of the same name. */
export function withHeader(request: JunctionRequest, name: string, value: string): JunctionRequest {
  const lower = name.toLowerCase()
  const headers: Record<string, string> = {}
  // A plain loop: this runs on every authorized request, and the entries/filter/fromEntries form
  // was a measurable share of the pipeline's overhead.
  for (const key in request.headers) {
    const current = request.headers[key]
    if (current !== undefined && key.toLowerCase() !== lower) headers[key] = current
  }
  headers[lower] = value
  return { ...request, headers }
}

/** The value of header `name` on `request`, whatever its spelling. */
export function requestHeader(request: JunctionRequest, name: string): string | undefined {
  const lower = name.toLowerCase()
  return Object.entries(request.headers).find(([key]) => key.toLowerCase() === lower)?.[1]
}
