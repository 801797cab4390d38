import { headerValue, type JunctionResponse } from '@junction/core'
import type { EntitySetInfo } from './metadata/service-metadata.js'
import { keyText } from './odata/odata-literal.js'
import type { SapContext } from './sap-context.js'
import { sapMessages } from './sap-messages.js'
import { readEntity } from './sap-responses.js'

/** The created entity's key as result id: from the body by the set's keys, else from `location`. */
export function createdId(
  ctx: SapContext,
  response: JunctionResponse,
  set: EntitySetInfo | undefined,
): string | undefined {
  if (response.body !== undefined && response.body !== '' && set !== undefined) {
    const { raw } = readEntity(response, ctx.state.version)
    const parts = set.keys.map((key) => [key, raw[key]] as const)
    if (parts.every(([, value]) => typeof value === 'string' || typeof value === 'number')) {
      return keyText(Object.fromEntries(parts) as Record<string, string | number>)
    }
  }
  const location = headerValue(response.headers, 'location')
  const key = location === undefined ? undefined : /\(([^)]*)\)$/.exec(decodeURIComponent(location))?.[1]
  return key?.replace(/^'(.*)'$/, '$1').replaceAll("''", "'")
}

/** `sap-message` / `sap-messages` texts as a result's warnings, when there are any. */
export function warnings(response: Pick<JunctionResponse, 'headers'>): { warnings?: readonly string[] } {
  const found = sapMessages(response.headers)
  return found.length === 0 ? {} : { warnings: found }
}
