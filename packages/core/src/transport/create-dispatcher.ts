import { Agent, type Dispatcher, EnvHttpProxyAgent, ProxyAgent } from 'undici'
import type { ResolvedTransportOptions } from './transport-options.js'

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const

/**
 * The undici dispatcher a transport owns: one Agent (a keep-alive Pool per origin), behind a proxy
 * when the options or the environment ask for one.
 */
export function createDispatcher(options: ResolvedTransportOptions): Dispatcher {
  const target = { ...options.tls, timeout: options.connectTimeoutMs }
  const agentOptions = {
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    ...(options.keepAliveTimeoutMs === undefined ? {} : { keepAliveTimeout: options.keepAliveTimeoutMs }),
    ...(options.connections === undefined ? {} : { connections: options.connections }),
  }
  // The proxy itself may sit behind the same private CA as the system (corporate TLS inspection).
  const proxyTls = {
    timeout: options.connectTimeoutMs,
    ...(options.tls?.ca === undefined ? {} : { ca: options.tls.ca }),
    ...(options.tls?.rejectUnauthorized === undefined
      ? {}
      : { rejectUnauthorized: options.tls.rejectUnauthorized }),
  }
  if (typeof options.proxy === 'string' && options.proxy !== 'env') {
    return new ProxyAgent({ ...agentOptions, uri: options.proxy, requestTls: target, proxyTls })
  }
  // EnvHttpProxyAgent reads the proxy variables once, when built, and parses every request's origin
  // to apply NO_PROXY; without a proxy variable that work buys nothing, so a plain Agent does.
  if (options.proxy === 'env' && PROXY_VARIABLES.some((name) => process.env[name])) {
    return new EnvHttpProxyAgent({ ...agentOptions, connect: target, requestTls: target, proxyTls })
  }
  return new Agent({ ...agentOptions, connect: target })
}
