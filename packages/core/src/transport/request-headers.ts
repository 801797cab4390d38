/**
 * The headers sent on the wire: names lower-cased (so a caller's `Content-Type` and a default
 * `content-type` cannot both go out), then the defaults and the body's content type where the
 * caller set none.
 */
export function requestHeaders(
  given: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, string>>,
  contentType: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const name of Object.keys(given)) {
    const value = given[name]
    if (value !== undefined) headers[name.toLowerCase()] = value
  }
  for (const name of Object.keys(defaults)) {
    const value = defaults[name]
    if (value !== undefined && headers[name] === undefined) headers[name] = value
  }
  if (contentType !== undefined && headers['content-type'] === undefined)
    headers['content-type'] = contentType
  return headers
}
