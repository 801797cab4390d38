import type { ResponseHeaders } from '@junction/core'

/**
 * The cookies a response set, as one `cookie` request header (`a=1; b=2`), or `undefined` when it set
 * none. Every cookie is replayed, whatever its name (sheet §3.2 rule 4).
 */
export function cookieHeader(headers: ResponseHeaders): string | undefined {
  const setCookie = headers['set-cookie']
  const list = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]
  const pairs = list.map((cookie) => cookie.split(';')[0]?.trim() ?? '').filter((pair) => pair.includes('='))
  return pairs.length === 0 ? undefined : pairs.join('; ')
}
