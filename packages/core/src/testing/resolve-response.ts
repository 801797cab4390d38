import { getResponse, type RequestHandler } from 'msw'

/** What msw made of one request. */
export type Resolution =
  | { kind: 'response'; response: Response }
  /** The handler answered `HttpResponse.error()`: the connection fails without a response. */
  | { kind: 'network-error' }
  /** No handler answered, or one asked for `passthrough()`. */
  | { kind: 'unhandled' }

/**
 * Runs `request` through `handlers` the way msw's own interceptors do: a thrown `Response` is the
 * response, any other throw is a 500 "Unhandled Exception", so every bridge mode agrees.
 */
export async function resolveResponse(
  handlers: readonly RequestHandler[],
  request: Request,
): Promise<Resolution> {
  let response: Response | undefined
  try {
    response = await getResponse([...handlers], request)
  } catch (thrown) {
    response = thrown instanceof Response ? thrown : unhandledException(thrown)
  }
  if (response === undefined || isPassthrough(response)) return { kind: 'unhandled' }
  if (response.type === 'error') return { kind: 'network-error' }
  return { kind: 'response', response }
}

/** msw's `passthrough()` marker: a 302 carrying its intention header. */
function isPassthrough(response: Response): boolean {
  return response.status === 302 && response.headers.get('x-msw-intention') === 'passthrough'
}

function unhandledException(thrown: unknown): Response {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown))
  return Response.json(
    { name: error.name, message: error.message },
    { status: 500, statusText: 'Unhandled Exception' },
  )
}
