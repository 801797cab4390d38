import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../errors/error-kinds.js'
import { Redactor } from '../redaction/redactor.js'
import {
  beneathAuth,
  type LoopbackServer,
  type Reply,
  rejectionOf,
  startLoopbackServer,
} from './loopback-server.fixture.js'
import type { TokenInfo } from './token-info.js'
import { TokenManager } from './token-manager.js'
import type { TokenOptions } from './token-options.js'
import { requestToken } from './token-request.js'

const START = new Date('2026-03-01T09:00:00Z').getTime()
let server: LoopbackServer | undefined

afterEach(async () => {
  vi.useRealTimers()
  await server?.close()
  server = undefined
})

/** A token endpoint issuing `at-1`, `at-2`, … (or what `reply` says for the n-th request). */
async function tokenEndpoint(reply?: (n: number) => Reply | Promise<Reply>): Promise<LoopbackServer> {
  let issued = 0
  server = await startLoopbackServer({
    '/token': () => {
      issued++
      return reply?.(issued) ?? { json: { access_token: `at-${issued}`, expires_in: 3600 } }
    },
  })
  return server
}

function managerFor(url: string, options: Partial<TokenOptions> = {}): TokenManager {
  return new TokenManager(
    (context) =>
      requestToken(context, {
        tokenUrl: `${url}/token`,
        form: { grant_type: 'client_credentials' },
        client: { id: 'client-1', secret: 'secret-1234', auth: 'body' },
        redactor: new Redactor(),
      }),
    { refreshAheadMs: 60_000, defaultTokenLifetimeMs: 900_000, ...options },
  )
}

function freezeClock(): void {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(START)
}

describe('TokenManager', () => {
  it('reuses the token until refreshAheadMs before expiry', async () => {
    freezeClock()
    const { url, count } = await tokenEndpoint()
    const tokens = managerFor(url)
    await tokens.token(beneathAuth)
    vi.setSystemTime(START + 3_540_000 - 1)
    expect(await tokens.token(beneathAuth)).toBe('at-1')
    expect(count('/token')).toBe(1)
  })

  it('fetches a new token once within refreshAheadMs of expiry', async () => {
    freezeClock()
    const { url, count } = await tokenEndpoint()
    const tokens = managerFor(url)
    await tokens.token(beneathAuth)
    vi.setSystemTime(START + 3_540_000)
    expect(await tokens.token(beneathAuth)).toBe('at-2')
    expect(count('/token')).toBe(2)
  })

  it('assumes defaultTokenLifetimeMs when the response has no expires_in', async () => {
    freezeClock()
    const { url } = await tokenEndpoint((n) => ({ json: { access_token: `at-${n}` } }))
    const tokens = managerFor(url, { defaultTokenLifetimeMs: 600_000, refreshAheadMs: 0 })
    await tokens.token(beneathAuth)
    vi.setSystemTime(START + 599_999)
    expect(await tokens.token(beneathAuth)).toBe('at-1')
    vi.setSystemTime(START + 600_000)
    expect(await tokens.token(beneathAuth)).toBe('at-2')
  })

  it('renews a short-lived token at half its lifetime rather than on every call', async () => {
    freezeClock()
    const { url, count } = await tokenEndpoint((n) => ({ json: { access_token: `at-${n}`, expires_in: 60 } }))
    const tokens = managerFor(url, { refreshAheadMs: 60_000 })
    await tokens.token(beneathAuth)
    vi.setSystemTime(START + 29_999)
    await tokens.token(beneathAuth)
    expect(count('/token')).toBe(1)
  })

  it('sends one token request for 100 concurrent callers that find no token', async () => {
    const { url, count } = await tokenEndpoint()
    const tokens = managerFor(url)
    const results = await Promise.all(Array.from({ length: 100 }, () => tokens.token(beneathAuth)))
    expect(count('/token')).toBe(1)
    expect(new Set(results)).toEqual(new Set(['at-1']))
  })

  it('sends one token request for 100 concurrent callers that find an expired token', async () => {
    freezeClock()
    const { url, count } = await tokenEndpoint()
    const tokens = managerFor(url)
    await tokens.token(beneathAuth)
    vi.setSystemTime(START + 3_600_000)
    const results = await Promise.all(Array.from({ length: 100 }, () => tokens.token(beneathAuth)))
    expect(count('/token')).toBe(2)
    expect(new Set(results)).toEqual(new Set(['at-2']))
  })

  it('rejects every waiter of a failed token request with the same AuthError', async () => {
    const { url } = await tokenEndpoint(() => ({ status: 500, json: { error: 'server_error' } }))
    const tokens = managerFor(url)
    const errors = await Promise.all(Array.from({ length: 10 }, () => rejectionOf(tokens.token(beneathAuth))))
    expect(errors[0]).toBeInstanceOf(AuthError)
    expect(errors[0]).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', retryable: true })
    expect(errors.every((error) => error === errors[0])).toBe(true)
  })

  it('does not remember a failed token request, so the next caller tries again', async () => {
    const { url, count } = await tokenEndpoint((n) =>
      n === 1 ? { status: 500, json: { error: 'server_error' } } : { json: { access_token: `at-${n}` } },
    )
    const tokens = managerFor(url)
    await rejectionOf(tokens.token(beneathAuth))
    expect(await tokens.token(beneathAuth)).toBe('at-2')
    expect(count('/token')).toBe(2)
  })

  it('keeps serving the still-valid token when renewing it ahead of expiry fails', async () => {
    freezeClock()
    const { url, count } = await tokenEndpoint((n) =>
      n === 1 ? { json: { access_token: 'at-1', expires_in: 3600 } } : { status: 503, json: {} },
    )
    const tokens = managerFor(url)
    await tokens.token(beneathAuth)
    vi.setSystemTime(START + 3_550_000)
    expect(await tokens.token(beneathAuth)).toBe('at-1')
    expect(count('/token')).toBe(2)
  })

  it('fails once the token has expired and renewing it fails', async () => {
    freezeClock()
    const { url } = await tokenEndpoint((n) =>
      n === 1 ? { json: { access_token: 'at-1', expires_in: 3600 } } : { status: 503, json: {} },
    )
    const tokens = managerFor(url)
    await tokens.token(beneathAuth)
    vi.setSystemTime(START + 3_600_000)
    expect(await rejectionOf(tokens.token(beneathAuth))).toMatchObject({ code: 'TOKEN_REQUEST_FAILED' })
  })

  it('renews once when 50 callers invalidate the same stale token', async () => {
    const { url, count } = await tokenEndpoint()
    const tokens = managerFor(url)
    const stale = await tokens.token(beneathAuth)
    const renewed = await Promise.all(
      Array.from({ length: 50 }, () => {
        tokens.invalidate(stale)
        return tokens.token(beneathAuth)
      }),
    )
    expect(count('/token')).toBe(2)
    expect(new Set(renewed)).toEqual(new Set(['at-2']))
  })

  it('ignores an invalidation of a token that was already replaced', async () => {
    const { url, count } = await tokenEndpoint()
    const tokens = managerFor(url)
    const first = await tokens.token(beneathAuth)
    tokens.invalidate(first)
    await tokens.token(beneathAuth)
    tokens.invalidate(first)
    expect(await tokens.token(beneathAuth)).toBe('at-2')
    expect(count('/token')).toBe(2)
  })

  it('tells onToken about each new token without the token itself', async () => {
    freezeClock()
    const { url } = await tokenEndpoint(() => ({
      json: {
        access_token: 'at-secret-1',
        instance_url: 'https://acme.my.salesforce.com',
        issued_at: String(START - 5),
        scope: 'api',
        token_type: 'Bearer',
      },
    }))
    const seen: TokenInfo[] = []
    const tokens = managerFor(url, { onToken: (info) => seen.push(info) })
    await tokens.token(beneathAuth)
    expect(seen).toEqual([
      {
        tokenType: 'Bearer',
        scope: 'api',
        instanceUrl: 'https://acme.my.salesforce.com',
        issuedAt: new Date(START - 5),
        expiresAt: new Date(START + 900_000),
        fields: {
          instance_url: 'https://acme.my.salesforce.com',
          issued_at: String(START - 5),
          scope: 'api',
          token_type: 'Bearer',
        },
      },
    ])
    expect(tokens.info()).toBe(seen[0])
  })

  it('lets an aborted caller stop waiting while the others still get the token', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const { url } = await tokenEndpoint(async () => {
      await gate
      return { json: { access_token: 'at-1' } }
    })
    const tokens = managerFor(url)
    const controller = new AbortController()
    const waiting = tokens.token({ ...beneathAuth, signal: controller.signal })
    const other = tokens.token(beneathAuth)
    controller.abort()
    expect(await rejectionOf(waiting)).toMatchObject({ code: 'ABORTED' })
    release()
    expect(await other).toBe('at-1')
  })

  it('reports the current and recently replaced access tokens as secrets', async () => {
    const { url } = await tokenEndpoint()
    const tokens = managerFor(url)
    const first = await tokens.token(beneathAuth)
    tokens.invalidate(first)
    const second = await tokens.token(beneathAuth)
    expect(tokens.secrets()).toEqual([second, first])
  })
})
