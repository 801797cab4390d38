import { delay, type HttpHandler, http, RequestHandler, type WebSocketHandler } from 'msw'
import { parseOptions } from '../config/parse-options.js'
import { ConfigError } from '../errors/error-kinds.js'
import { compileMatch, type Fault, faultSchema, needsRealResponse } from './fault.js'
import { maintenancePage, resetMidBody, statusResponse, truncatedJson } from './fault-responses.js'
import { resolveResponse } from './resolve-response.js'

/** Options for {@link faults}. */
export interface FaultsOptions {
  /**
   * The handlers behind the injector, which `reset-mid-body` and `truncated-json` need to produce the
   * real response they reshape. A function is read per request, e.g. `() => server.listHandlers()`.
   */
  handlers?: readonly RequestHandler[] | (() => ReadonlyArray<RequestHandler | WebSocketHandler>) | undefined
}

/** Injects faults into any msw handler list: a `mswDispatcher`, a `loopbackServer`, or msw's own `setupServer`. */
export interface FaultInjector {
  /** Put it first in the handler list; it answers only requests a fault applies to, so the rest flow on. */
  readonly handler: HttpHandler
  /** The next matching request (or `fault.times` of them) gets `fault`; queued faults apply in order. */
  next(fault: Fault): void
  /** Every matching request gets `fault` until `clear()`; queued `next` faults go first. */
  always(fault: Fault): void
  /** Forgets every pending fault and resets `count`. */
  clear(): void
  /** How many requests a fault has been applied to since the start or the last `clear()`. */
  readonly count: number
}

interface Armed {
  fault: Fault
  matches: (method: string, pathname: string) => boolean
  remaining: number
}

/**
 * Creates a {@link FaultInjector}. Latency and `slow-headers` use msw's `delay()` and then fall through
 * to the real handler, whose response `reset-mid-body` and `truncated-json` reshape.
 */
export function faults(options: FaultsOptions = {}): FaultInjector {
  let queued: Armed[] = []
  let standing: Armed[] = []
  let count = 0

  const arm = (input: Fault, where: string, remaining: number): Armed => {
    const fault = parseOptions(faultSchema, input, where)
    if (needsRealResponse(fault.kind) && options.handlers === undefined) {
      throw new ConfigError({
        message: `${where}: a '${fault.kind}' fault reshapes the real response, so faults() needs { handlers }`,
        option: 'handlers',
      })
    }
    return { fault, matches: compileMatch(fault.match), remaining }
  }

  const find = (request: Request): Armed | undefined => {
    const { pathname } = new URL(request.url)
    return [...queued, ...standing].find((armed) => armed.matches(request.method, pathname))
  }

  const take = (request: Request): Fault | undefined => {
    const armed = find(request)
    if (armed === undefined) return undefined
    count += 1
    if (queued.includes(armed)) {
      armed.remaining -= 1
      if (armed.remaining === 0) queued = queued.filter((item) => item !== armed)
    }
    return armed.fault
  }

  const realResponse = async (request: Request): Promise<Response | undefined> => {
    const listed = typeof options.handlers === 'function' ? options.handlers() : (options.handlers ?? [])
    const behind = listed.filter(
      (item): item is RequestHandler => item instanceof RequestHandler && item !== handler,
    )
    const resolution = await resolveResponse(behind, request)
    if (resolution.kind === 'network-error') return Response.error()
    return resolution.kind === 'response' ? resolution.response : undefined
  }

  // A predicate (not the '*' path) so that requests no fault applies to stay unmatched, and msw's own
  // unhandled-request strategy still sees them.
  const handler = http.all(
    ({ request }) => find(request) !== undefined,
    async ({ request }) => {
      const fault = take(request)
      if (fault === undefined) return undefined
      if (fault.kind === 'slow-headers') {
        await pause(fault.delayMs, request.signal)
        return undefined
      }
      if (fault.delayMs !== undefined) await pause(fault.delayMs, request.signal)
      switch (fault.kind) {
        case 'rate-limit':
          return statusResponse({ ...fault, retryAfter: fault.retryAfter ?? 1 }, fault.status ?? 429)
        case 'http-503':
          return statusResponse(fault, fault.status ?? 503)
        case 'html-200':
          return maintenancePage(fault)
        case 'reset-mid-body': {
          const real = await realResponse(request)
          return real?.type === 'default' ? resetMidBody(real) : real
        }
        case 'truncated-json': {
          const real = await realResponse(request)
          return real?.type === 'default' ? truncatedJson(real) : real
        }
        default:
          return fault.status === undefined ? undefined : statusResponse(fault, fault.status)
      }
    },
  )

  return {
    handler,
    next(fault) {
      queued.push(arm(fault, 'faults.next', fault.times ?? 1))
    },
    always(fault) {
      standing.push(arm(fault, 'faults.always', Number.POSITIVE_INFINITY))
    },
    clear() {
      queued = []
      standing = []
      count = 0
    },
    get count() {
      return count
    },
  }
}

/** msw's `delay()`, cut short when the client goes away; no `delayMs` waits until it does. */
async function pause(delayMs: number | undefined, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return
  let onAbort = (): void => {}
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve
    signal.addEventListener('abort', onAbort, { once: true })
  })
  await Promise.race([delay(delayMs ?? 'infinite'), aborted])
  signal.removeEventListener('abort', onAbort)
}
