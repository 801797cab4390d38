import type { JunctionRequest } from '../pipeline/request.js'

/** A copy of `request` with header `name` set to `value`, replacing any spelling of the same name. */
export function withHeader(request: JunctionRequest, name: string, value: string): JunctionRequest {
  const lower = name.toLowerCase()
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([key]) => key.toLowerCase() !== lower),
  )
  return { ...request, headers: { ...headers, [lower]: value } }
}

/** The value of header `name` on `request`, whatever its spelling. */
export function requestHeader(request: JunctionRequest, name: string): string | undefined {
  const lower = name.toLowerCase()
  return Object.entries(request.headers).find(([key]) => key.toLowerCase() === lower)?.[1]
}
