/**
 * The path of an absolute URL without a query string, e.g. `/services/data/v62.0/query`. Cheaper than
 * `new URL()` on the hot path; request URLs never carry a query string (it travels in `query`).
 */
export function requestPath(url: string): string {
  const scheme = url.indexOf('://')
  const slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3)
  return slash < 0 ? '/' : url.slice(slash)
}
