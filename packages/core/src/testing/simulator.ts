import type { RequestHandler } from 'msw'
import { type FaultInjector, faults } from './fault-injector.js'
import { type LoopbackServer, type LoopbackServerOptions, loopbackServer } from './loopback-server.js'
import { type MswDispatcher, type MswDispatcherOptions, mswDispatcher } from './msw-dispatcher.js'

/** Options for {@link createSimulator}. */
export interface SimulatorOptions {
  /** The system's msw handlers; start each path with `*` to match any origin, so one set serves every mode. */
  handlers: readonly RequestHandler[]
  /** Passed to the in-process dispatcher (e.g. `headersTimeout`). */
  dispatcher?: MswDispatcherOptions | undefined
}

/** One system's test double, served in-process or on loopback from the same handlers, with faults. */
export interface Simulator {
  /** The fault handler first, then the system's handlers: hand these to msw's `setupServer` too. */
  readonly handlers: readonly RequestHandler[]
  readonly faults: FaultInjector
  /** An in-process undici dispatcher over `handlers`, created on first use. */
  readonly dispatcher: MswDispatcher
  /** Starts a real HTTP server over `handlers` on 127.0.0.1. */
  listen(options?: LoopbackServerOptions): Promise<LoopbackServer>
  /** Closes the dispatcher and every server `listen()` started. */
  close(): Promise<void>
}

/** The base every adapter's simulator (`salesforceSimulator()` and the like) builds on. */
export function createSimulator(options: SimulatorOptions): Simulator {
  const injector = faults({ handlers: options.handlers })
  const handlers: readonly RequestHandler[] = [injector.handler, ...options.handlers]
  const servers = new Set<LoopbackServer>()
  let dispatcher: MswDispatcher | undefined

  return {
    handlers,
    faults: injector,
    get dispatcher() {
      dispatcher ??= mswDispatcher(handlers, options.dispatcher)
      return dispatcher
    },
    async listen(listenOptions) {
      const server = await loopbackServer(handlers, listenOptions)
      servers.add(server)
      return {
        url: server.url,
        port: server.port,
        close: async () => {
          servers.delete(server)
          await server.close()
        },
      }
    },
    async close() {
      const closing = [...servers].map((server) => server.close())
      servers.clear()
      if (dispatcher !== undefined) closing.push(dispatcher.destroy())
      await Promise.all(closing)
    },
  }
}
