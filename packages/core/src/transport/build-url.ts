import type { QueryParamValue } from '../pipeline/request.js'

type QueryList = readonly (string | number | boolean)[]

const isList = (value: QueryParamValue): value is QueryList => Array.isArray(value)

/**
 * The request URL with its query string: values percent-encoded (spaces as `%20`, which every
 * system reads, unlike `+`), arrays repeating the parameter, `undefined` values left out.
 */
export function buildUrl(url: string, query: Readonly<Record<string, QueryParamValue>> | undefined): string {
  if (query === undefined) return url
  let search = ''
  for (const name of Object.keys(query)) {
    const value = query[name]
    if (value === undefined) continue
    const key = encodeName(name)
    if (isList(value)) {
      for (const item of value) search += `&${key}=${encodeURIComponent(String(item))}`
    } else {
      search += `&${key}=${encodeURIComponent(String(value))}`
    }
  }
  if (search === '') return url
  return `${url}${url.includes('?') ? '&' : '?'}${search.slice(1)}`
}

// `$` is legal in a query string (RFC 3986 sub-delims) and OData system options are documented and
// logged as `$filter`, `$top`: keep it literal in names rather than sending `%24filter`.
function encodeName(name: string): string {
  return encodeURIComponent(name).replaceAll('%24', '$')
}
