import { writeEdmx } from './edmx-writer.js'
import { EntityView } from './entity-view.js'
import { type FilterNode, ODataSyntaxError, parseFilter, parseKeyPredicate } from './filter-parser.js'
import type { SimEntitySet } from './service-catalog.js'
import { ODataFault } from './sim-fault.js'
import { errorResponse, jsonResponse, type SimRequest, type SimResponse, wantsJson } from './sim-http.js'
import type { SimService } from './sim-service.js'
import { etagFor, type SimRecord } from './sim-values.js'

/** How the endpoint pages and what it announces on writes. */
export interface EndpointOptions {
  /** Most entities in one page; more come through `__next` / `@odata.nextLink`. */
  maxPageSize: number
}

const PARSE_ERROR = '/IWCOR/CX_OD_PARSE_ERROR'

/**
 * Answers one OData request to one simulated service (sheet §10): service document, `$metadata`,
 * collections with `$filter`/`$select`/`$expand`/`$orderby`/`$top`/`$skip`/`$skiptoken` and counts,
 * single entities and navigation, and writes with ETag checks (428 / 412). CSRF and `$batch` are
 * handled around it. `resource` is the path below the service root, percent-decoded.
 */
export function handleOData(
  service: SimService,
  request: SimRequest,
  resource: string,
  base: string,
  options: EndpointOptions,
): SimResponse {
  const { version, name } = service.definition
  try {
    if (resource === '' || resource === '/') {
      if (!['GET', 'HEAD'].includes(request.method)) throw methodNotAllowed()
      const sets = service.definition.sets.map((set) => set.name)
      return version === 'v2'
        ? jsonResponse(200, { d: { EntitySets: sets } }, version)
        : jsonResponse(
            200,
            { '@odata.context': '$metadata', value: sets.map((set) => ({ name: set, url: set })) },
            version,
          )
    }
    if (resource === '$metadata') {
      return {
        status: 200,
        headers: {
          'content-type': 'application/xml',
          'sap-metadata-last-modified': new Date(0).toUTCString(),
        },
        body: writeEdmx(service.definition),
      }
    }
    const path = parseResource(resource)
    const set = service.set(path.set)
    const ieee754 = /IEEE754Compatible=true/i.test(request.headers.accept ?? '')
    const view = new EntityView(service, base, ieee754)
    if (path.key === undefined) {
      if (path.tail === '$count')
        return {
          status: 200,
          headers: { 'content-type': 'text/plain' },
          body: String(collection(service, set, request).length),
        }
      if (path.tail !== undefined)
        throw new ODataFault(400, PARSE_ERROR, `Segment '${path.tail}' cannot follow a collection`)
      if (request.method === 'GET')
        return list(view, set, collection(service, set, request), request, options)
      if (request.method === 'POST')
        return created(view, set, service.create(set.name, parseJson(request.body)), version)
      throw methodNotAllowed()
    }
    const record = service.find(set.name, parseKeyPredicate(path.key, version))
    if (path.tail !== undefined && path.tail !== '$count') {
      const target = service.navigate(set.name, record, path.tail)
      if (request.method === 'POST') {
        return created(
          view,
          target.set,
          service.create(target.set.name, parseJson(request.body), { set: set.name, record, nav: path.tail }),
          version,
        )
      }
      if (request.method !== 'GET') throw methodNotAllowed()
      if (!target.many) {
        const first = target.records[0]
        if (first === undefined)
          throw new ODataFault(404, '/IWBEP/CM_MGW_RT/020', `No ${path.tail} for this entity`)
        return single(view, target.set, first, request)
      }
      return list(view, target.set, target.records, request, options)
    }
    switch (request.method) {
      case 'GET':
        return single(view, set, record, request)
      case 'PATCH':
      case 'MERGE':
      case 'PUT': {
        if (version === 'v4' && request.method === 'MERGE') throw methodNotAllowed()
        checkEtag(set, record, request, version, true)
        service.update(set.name, record, parseJson(request.body), request.method === 'PUT')
        return {
          status: 204,
          headers: { ...etagHeader(set, record, version), ...versionHeader(version) },
          body: '',
        }
      }
      case 'DELETE':
        checkEtag(set, record, request, version, false)
        service.delete(set.name, record)
        return { status: 204, headers: versionHeader(version), body: '' }
      default:
        throw methodNotAllowed()
    }
  } catch (error) {
    if (error instanceof ODataSyntaxError)
      return errorResponse(new ODataFault(400, PARSE_ERROR, error.message), name, version)
    if (error instanceof ODataFault) return errorResponse(error, name, version)
    throw error
  }
}

/** A resource path: the entity set, an optional key predicate body, and what follows it. */
export function parseResource(resource: string): {
  set: string
  key: string | undefined
  tail: string | undefined
} {
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(resource)?.[0]
  if (name === undefined) throw new ODataFault(404, '/IWBEP/CM_MGW_RT/020', 'Resource not found')
  let at = name.length
  let key: string | undefined
  if (resource.charAt(at) === '(') {
    let quoted = false
    let end = at + 1
    for (; end < resource.length; end++) {
      const char = resource.charAt(end)
      if (char === "'") quoted = !quoted
      else if (char === ')' && !quoted) break
    }
    if (end >= resource.length) throw new ODataFault(400, PARSE_ERROR, 'Unterminated key predicate')
    key = resource.slice(at + 1, end)
    at = end + 1
  }
  const rest = resource.slice(at)
  if (rest === '') return { set: name, key, tail: undefined }
  const tail = /^\/([A-Za-z_][A-Za-z0-9_]*|\$count)$/.exec(rest)?.[1]
  if (tail === undefined)
    throw new ODataFault(404, '/IWBEP/CM_MGW_RT/020', `Resource not found for segment '${rest}'`)
  return { set: name, key, tail }
}

function collection(service: SimService, set: SimEntitySet, request: SimRequest): SimRecord[] {
  const params = request.url.searchParams
  const filterText = params.get('$filter')
  const filter: FilterNode | undefined =
    filterText === null ? undefined : parseFilter(filterText, service.definition.version)
  const orderBy = (params.get('$orderby') ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const [property = '', direction = 'asc'] = item.split(/\s+/)
      if (direction !== 'asc' && direction !== 'desc')
        throw new ODataFault(400, PARSE_ERROR, `Invalid $orderby direction '${direction}'`)
      return { property, descending: direction === 'desc' }
    })
  return service.query(set.name, filter, orderBy)
}

// One page of a `$top`/`$skip` window: at most `maxPageSize` entities from `$skip + $skiptoken`, and
// while the window has more, a link repeating the request's options with the new `$skiptoken`.
function list(
  view: EntityView,
  set: SimEntitySet,
  rows: readonly SimRecord[],
  request: SimRequest,
  options: EndpointOptions,
): SimResponse {
  const version = view.version
  const params = request.url.searchParams
  const skip = nonNegative(params.get('$skip'), '$skip')
  const top = params.has('$top') ? nonNegative(params.get('$top'), '$top') : Number.POSITIVE_INFINITY
  const start = skip + nonNegative(params.get('$skiptoken'), '$skiptoken')
  const windowEnd = Math.min(skip + top, rows.length)
  const end = Math.min(windowEnd, start + options.maxPageSize)
  const next = new URL(request.url)
  next.searchParams.set('$skiptoken', String(end - skip))
  const page = rows.slice(start, end).map((record) => view.entity(set, record, request))
  if (version === 'v2') {
    const inline = params.get('$inlinecount')
    if (inline !== null && inline !== 'allpages' && inline !== 'none')
      throw new ODataFault(400, PARSE_ERROR, `Invalid value '${inline}' for $inlinecount`)
    return jsonResponse(
      200,
      {
        d: {
          ...(inline === 'allpages' ? { __count: String(rows.length) } : {}),
          results: page,
          ...(end < windowEnd ? { __next: next.toString() } : {}),
        },
      },
      version,
    )
  }
  // SAP's V4 next links may be relative (UNVERIFIED): this one is, relative to the service root.
  const relative = `${next.pathname.split('/').pop()}${next.search}`
  return jsonResponse(
    200,
    {
      '@odata.context': `$metadata#${set.name}`,
      ...(params.get('$count') === 'true' ? { '@odata.count': rows.length } : {}),
      value: page,
      ...(end < windowEnd ? { '@odata.nextLink': relative } : {}),
    },
    version,
    {},
    view.ieee754,
  )
}

function single(view: EntityView, set: SimEntitySet, record: SimRecord, request: SimRequest): SimResponse {
  const entity = view.entity(set, record, request)
  const body =
    view.version === 'v2' ? { d: entity } : { '@odata.context': `$metadata#${set.name}/$entity`, ...entity }
  return jsonResponse(200, body, view.version, etagHeader(set, record, view.version), view.ieee754)
}

function created(view: EntityView, set: SimEntitySet, record: SimRecord, version: 'v2' | 'v4'): SimResponse {
  const entity = view.entity(set, record, undefined)
  const body =
    version === 'v2' ? { d: entity } : { '@odata.context': `$metadata#${set.name}/$entity`, ...entity }
  const location = `${view.base}/${set.name}${view.keyPredicate(set, record)}`
  const message = `${set.name} ${set.keys.map((key) => String(record[key])).join('/')} has been saved`
  // Business messages ride on the success (sheet §5.3).
  const messages: Record<string, string> =
    version === 'v2'
      ? {
          'sap-message': JSON.stringify({
            code: 'SIM/001',
            message,
            severity: 'success',
            target: '',
            details: [],
          }),
        }
      : {
          'sap-messages': JSON.stringify([
            { code: 'SIM/001', message, numericSeverity: 1, target: '', transition: false },
          ]),
        }
  return jsonResponse(
    201,
    body,
    version,
    { location, ...etagHeader(set, record, version), ...messages },
    view.ieee754,
  )
}

function checkEtag(
  set: SimEntitySet,
  record: SimRecord,
  request: SimRequest,
  version: 'v2' | 'v4',
  required: boolean,
): void {
  if (set.concurrency === undefined) return
  const ifMatch = request.headers['if-match']
  if (ifMatch === undefined) {
    if (!required) return
    throw new ODataFault(
      428,
      '/IWBEP/CM_MGW_RT/157',
      `Precondition required for entity ${set.typeName} (If-Match missing)`,
    )
  }
  const current = etagFor(record[set.concurrency] as number, version)
  if (ifMatch !== '*' && ifMatch !== current) {
    throw new ODataFault(
      412,
      '/IWBEP/CM_MGW_RT/016',
      'The Data Services Request could not be understood due to malformed syntax',
      { etag: current },
    )
  }
}

function etagHeader(set: SimEntitySet, record: SimRecord, version: 'v2' | 'v4'): Record<string, string> {
  return set.concurrency === undefined ? {} : { etag: etagFor(record[set.concurrency] as number, version) }
}

function versionHeader(version: 'v2' | 'v4'): Record<string, string> {
  return version === 'v2' ? { dataserviceversion: '2.0' } : { 'odata-version': '4.0' }
}

function parseJson(body: string): Record<string, unknown> {
  try {
    const value = JSON.parse(body) as unknown
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object')
    return value as Record<string, unknown>
  } catch {
    throw new ODataFault(400, PARSE_ERROR, 'The request body is not a JSON object')
  }
}

function nonNegative(value: string | null, name: string): number {
  if (value === null) return 0
  if (!/^\d+$/.test(value)) throw new ODataFault(400, PARSE_ERROR, `Invalid value for ${name}`)
  return Number(value)
}

function methodNotAllowed(): ODataFault {
  return new ODataFault(405, '/IWBEP/CM_MGW_RT/002', 'Method not allowed for this resource')
}

/** Whether a JSON answer can be given; Gateway would send AtomPub XML otherwise, which the simulator does not. */
export function requireJson(request: SimRequest, resource: string): ODataFault | undefined {
  if (resource === '$metadata' || resource === '' || wantsJson(request) || request.method !== 'GET')
    return undefined
  return new ODataFault(
    406,
    '/IWBEP/CM_MGW_RT/040',
    'The simulator answers JSON only: send Accept: application/json or $format=json',
  )
}
