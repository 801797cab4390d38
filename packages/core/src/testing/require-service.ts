import { connect } from 'node:net'
import { ConfigError, TransportError } from '../errors/error-kinds.js'

/** A service that integration tests run against for real. */
export type TestService = 'redis' | 'postgres'

/** Where a service is and whether its tests should run. */
export interface ServiceAvailability {
  readonly service: TestService
  /** The URL to connect to: `options.url`, else the env variable, else the local default. */
  readonly url: string
  /** True when the service is unreachable outside CI: pass it to `describe.skipIf`. */
  readonly skip: boolean
}

/** Options for `requireService`; the defaults come from the environment. */
export interface RequireServiceOptions {
  /** Overrides `REDIS_URL` / `DATABASE_URL`. */
  url?: string
  /** Whether this is CI, where an unreachable service fails instead of skipping (default `CI === 'true'`). */
  ci?: boolean
  /** How long to wait for the TCP connection (default 2 s). */
  timeoutMs?: number
}

const services: Record<TestService, { env: string; url: string; port: number }> = {
  redis: { env: 'REDIS_URL', url: 'redis://127.0.0.1:6379', port: 6379 },
  postgres: { env: 'DATABASE_URL', url: 'postgres://postgres@127.0.0.1:5432/test', port: 5432 },
}

const probes = new Map<string, Promise<boolean>>()

const canConnect = (host: string, port: number, timeoutMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host, port })
    const finish = (reachable: boolean) => {
      socket.destroy()
      resolve(reachable)
    }
    socket.setTimeout(timeoutMs, () => finish(false))
    socket.once('connect', () => finish(true))
    socket.once('error', () => finish(false))
  })

/**
 * Checks once per process that `service` accepts TCP connections. Unreachable in CI, it throws a
 * `TransportError` so the suite fails loudly; elsewhere it warns why and returns `skip: true`.
 * Messages name the host and port only, never credentials from the URL.
 */
export async function requireService(
  service: TestService,
  options: RequireServiceOptions = {},
): Promise<ServiceAvailability> {
  const defaults = services[service]
  const url = options.url ?? process.env[defaults.env] ?? defaults.url
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (error) {
    throw new ConfigError({
      message: `${defaults.env} is not a valid URL`,
      option: defaults.env,
      cause: error,
    })
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1'
  const port = parsed.port === '' ? defaults.port : Number(parsed.port)
  const where = `${parsed.hostname || host}:${port}`

  let probe = probes.get(`${host}:${port}`)
  if (probe === undefined) {
    probe = canConnect(host, port, options.timeoutMs ?? 2_000)
    probes.set(`${host}:${port}`, probe)
  }
  if (await probe) return { service, url, skip: false }

  const ci = options.ci ?? process.env.CI === 'true'
  if (ci) {
    throw new TransportError({
      code: 'CONNECTION_FAILED',
      message: `${service} is not reachable at ${where}, and CI=true requires it: start it or set ${defaults.env}`,
      system: service,
    })
  }
  console.warn(
    `Skipping ${service} tests: ${service} is not reachable at ${where} (start it or set ${defaults.env}).`,
  )
  return { service, url, skip: true }
}
