import type { z } from 'zod'
import { TransportError } from '../errors/error-kinds.js'
import type { JunctionResponse } from '../pipeline/request.js'

/**
 * A response body checked against the shape the connector expects; anything else (an HTML page, a
 * proxy's error, a changed API) is a `MALFORMED_RESPONSE` naming the system, the status and each path
 * that did not match.
 */
export function expectBody<S extends z.ZodType>(
  schema: S,
  response: JunctionResponse,
  expected: { system: string; shape: string },
): z.output<S> {
  const parsed = schema.safeParse(response.body)
  if (parsed.success) return parsed.data
  throw new TransportError({
    code: 'MALFORMED_RESPONSE',
    message: `${expected.system} answered ${response.status} with a body that is not ${expected.shape}`,
    status: response.status,
    system: expected.system,
    details: parsed.error.issues.map(({ path, message }) => ({ path: path.join('.'), message })),
  })
}
