import type { JunctionRequest, Middleware } from '@junction/core'

/**
 * Adds `sap-client=<client>` to every request that does not carry it yet: requests the connector
 * builds, and the `__next` links SAP returns (which normally repeat it already).
 */
export function sapClientMiddleware(client: string): Middleware {
  return (next) =>
    async <T>(request: JunctionRequest) => {
      const present =
        new URL(request.url).searchParams.has('sap-client') || request.query?.['sap-client'] !== undefined
      return next<T>(present ? request : { ...request, query: { ...request.query, 'sap-client': client } })
    }
}
