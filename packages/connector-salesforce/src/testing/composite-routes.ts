import type { EntityRecord } from '@junction/core'
import { ApiFault } from './api-fault.js'
import { MultipleChoices, type SalesforceOrg } from './salesforce-org.js'
import { jsonObject, type Route, recordError, type SimRequest, type SimResponse } from './sim-http.js'

// Collections take at most 200 records a call; Composite at most 25 subrequests (sheet §4).
const COLLECTION_LIMIT = 200
const COMPOSITE_LIMIT = 25
const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
}
const HALTED = 'The transaction was rolled back since another operation in the same transaction failed.'
const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g

type SaveResult = { id?: string; success: boolean; errors: unknown[]; created?: boolean }

/** sObject Collections: create, update, upsert, delete and retrieve many records in one call (sheet §4.4). */
export function collectionRoutes(org: SalesforceOrg): Route[] {
  return [
    {
      method: 'POST',
      pattern: /^\/composite\/sobjects\/?$/,
      handle: (request) =>
        collection(org, request, (record) => {
          const { attributes, ...fields } = record
          return { id: org.insert(typeOf(attributes), fields) }
        }),
    },
    {
      method: 'PATCH',
      pattern: /^\/composite\/sobjects\/?$/,
      handle: (request) =>
        collection(org, request, (record) => {
          const { attributes, id, Id, ...fields } = record
          const key = String(id ?? Id ?? '')
          if (key === '')
            throw new ApiFault(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id'])
          org.update(typeOf(attributes), key, fields)
          return { id: key }
        }),
    },
    {
      method: 'PATCH',
      pattern: /^\/composite\/sobjects\/([^/]+)\/([^/]+)\/?$/,
      handle: (request, [, entity, field]) =>
        collection(org, request, (record) => {
          const { attributes, ...fields } = record
          const name = decodeURIComponent(field ?? '')
          const value = Object.entries(fields).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]
          if (value === undefined || value === null || value === '') {
            throw new ApiFault(400, 'MISSING_ARGUMENT', `${name} not specified`, [name])
          }
          if (attributes !== undefined && typeOf(attributes).toLowerCase() !== String(entity).toLowerCase()) {
            throw new ApiFault(400, 'INVALID_TYPE', 'all records must be of the type named in the URL')
          }
          try {
            return org.upsert(request.version, decodeURIComponent(entity ?? ''), name, String(value), fields)
          } catch (error) {
            if (error instanceof MultipleChoices) {
              throw new ApiFault(
                300,
                'DUPLICATE_EXTERNAL_ID',
                `${name}: more than one record found for external id field: ${error.urls.join(', ')}`,
                [name],
              )
            }
            throw error
          }
        }),
    },
    {
      method: 'DELETE',
      pattern: /^\/composite\/sobjects\/?$/,
      handle: (request) => {
        const ids = (request.query.get('ids') ?? '').split(',').filter((id) => id !== '')
        const allOrNone = request.query.get('allOrNone') === 'true'
        return run(org, ids, allOrNone, (id) => {
          org.remove(entityOfId(org, id), id)
          return { id }
        })
      },
    },
    {
      method: 'GET',
      pattern: /^\/composite\/sobjects\/([^/]+)\/?$/,
      handle: (request, [, entity]) => {
        const ids = (request.query.get('ids') ?? '').split(',').filter((id) => id !== '')
        const fields = (request.query.get('fields') ?? 'Id').split(',')
        return {
          status: 200,
          body: ids.map((id) => {
            try {
              return org.retrieve(request.version, decodeURIComponent(entity ?? ''), id, fields)
            } catch (error) {
              if (error instanceof ApiFault && error.status === 404) return null
              throw error
            }
          }),
        }
      },
    },
  ]
}

/** `POST /composite`: up to 25 subrequests with `@{ref.field}` references, in one transaction or not. */
export function compositeRoute(
  org: SalesforceOrg,
  dispatch: (request: SimRequest) => Promise<SimResponse>,
): Route {
  return {
    method: 'POST',
    pattern: /^\/composite\/?$/,
    handle: async (request) => {
      const body = jsonObject(request)
      const subrequests = body.compositeRequest
      if (!Array.isArray(subrequests) || subrequests.length === 0) {
        throw new ApiFault(400, 'JSON_PARSER_ERROR', 'compositeRequest must be a non-empty array')
      }
      if (subrequests.length > COMPOSITE_LIMIT) {
        throw new ApiFault(
          400,
          'INVALID_INPUT',
          `Composite request can have at most ${COMPOSITE_LIMIT} subrequests`,
        )
      }
      for (const sub of subrequests) checkSubrequest(sub)
      const allOrNone = body.allOrNone === true
      const results: Array<Record<string, unknown>> = []
      const byReference = new Map<string, { status: number; body: unknown }>()
      const execute = async (): Promise<boolean> => {
        for (const sub of subrequests as Subrequest[]) {
          const unresolved = unresolvedReference(sub, byReference)
          if (unresolved !== undefined) {
            results.push(
              halted(
                sub.referenceId,
                `Invalid reference specified. No value for ${unresolved} found in ${unresolved.split('.')[0]}.`,
              ),
            )
            continue
          }
          const url = new URL(resolve(sub.url, byReference, encodeURIComponent), 'http://composite.invalid')
          const prefix = /^\/services\/data\/(v\d+\.\d)(\/.*)?$/.exec(url.pathname)
          if (prefix === null)
            throw new ApiFault(
              400,
              'INVALID_INPUT',
              `subrequest url must start with /services/data/vXX.X: ${sub.url}`,
            )
          const response = await dispatch({
            method: sub.method,
            path: prefix[2] ?? '/',
            version: prefix[1] as string,
            query: url.searchParams,
            headers: new Headers(sub.httpHeaders ?? {}),
            text: sub.body === undefined ? '' : resolve(JSON.stringify(sub.body), byReference, jsonEscape),
          })
          byReference.set(sub.referenceId, { status: response.status, body: response.body })
          results.push({
            body: response.body ?? null,
            httpHeaders:
              response.headers?.location === undefined ? {} : { Location: response.headers.location },
            httpStatusCode: response.status,
            referenceId: sub.referenceId,
          })
          if (allOrNone && response.status >= 400) return false
        }
        return true
      }
      if (!allOrNone) {
        await execute()
        return { status: 200, body: { compositeResponse: results } }
      }
      const committed = await transactionAsync(org, execute)
      if (committed) return { status: 200, body: { compositeResponse: results } }
      // Rolled back: the failing subrequest keeps its error; every other one says PROCESSING_HALTED.
      const failed = results.at(-1)
      return {
        status: 200,
        body: {
          compositeResponse: (subrequests as Subrequest[]).map((sub) =>
            sub.referenceId === failed?.referenceId ? failed : halted(sub.referenceId, HALTED),
          ),
        },
      }
    },
  }
}

interface Subrequest {
  method: string
  url: string
  referenceId: string
  body?: unknown
  httpHeaders?: Record<string, string>
}

function checkSubrequest(sub: unknown): asserts sub is Subrequest {
  const candidate = sub as Partial<Subrequest>
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    !['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(String(candidate.method)) ||
    typeof candidate.url !== 'string' ||
    typeof candidate.referenceId !== 'string' ||
    !/^[A-Za-z0-9_]+$/.test(candidate.referenceId)
  ) {
    throw new ApiFault(
      400,
      'INVALID_INPUT',
      'each subrequest needs method, url and a referenceId of letters, digits and underscores',
    )
  }
  const headers = Object.keys(candidate.httpHeaders ?? {}).map((name) => name.toLowerCase())
  if (headers.some((name) => ['accept', 'authorization', 'content-type'].includes(name))) {
    throw new ApiFault(
      400,
      'INVALID_INPUT',
      'httpHeaders may not contain Accept, Authorization or Content-Type',
    )
  }
}

function halted(referenceId: string, message: string): Record<string, unknown> {
  return {
    body: [{ errorCode: 'PROCESSING_HALTED', message }],
    httpHeaders: {},
    httpStatusCode: 400,
    referenceId,
  }
}

function lookup(
  reference: string,
  path: string,
  results: Map<string, { status: number; body: unknown }>,
): unknown {
  const result = results.get(reference)
  if (result === undefined || result.status >= 400) return undefined
  let value: unknown = result.body
  for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    if (typeof value !== 'object' || value === null) return undefined
    const key = step.startsWith('.') ? step.slice(1) : Number(step.slice(1, -1))
    value = (value as Record<string | number, unknown>)[key]
  }
  return value
}

function unresolvedReference(
  sub: Subrequest,
  results: Map<string, { status: number; body: unknown }>,
): string | undefined {
  const text = sub.url + JSON.stringify(sub.body ?? null)
  for (const match of text.matchAll(REFERENCE)) {
    const [, reference = '', path = ''] = match
    if (lookup(reference, path, results) === undefined) return `${reference}${path}`
  }
  return undefined
}

function resolve(
  text: string,
  results: Map<string, { status: number; body: unknown }>,
  encode: (value: string) => string,
): string {
  return text.replace(REFERENCE, (_, reference: string, path: string) =>
    encode(String(lookup(reference, path, results))),
  )
}

function jsonEscape(value: string): string {
  return JSON.stringify(value).slice(1, -1)
}

async function transactionAsync(org: SalesforceOrg, body: () => Promise<boolean>): Promise<boolean> {
  const restore = org.checkpoint()
  const committed = await body()
  if (!committed) restore()
  return committed
}

function collection(
  org: SalesforceOrg,
  request: SimRequest,
  write: (record: EntityRecord) => { id: string; created?: boolean },
): SimResponse {
  const body = jsonObject(request)
  const records = body.records
  if (!Array.isArray(records)) throw new ApiFault(400, 'JSON_PARSER_ERROR', 'records must be an array')
  return run(org, records as EntityRecord[], body.allOrNone === true, write)
}

function run<T>(
  org: SalesforceOrg,
  items: readonly T[],
  allOrNone: boolean,
  write: (item: T) => { id: string; created?: boolean },
): SimResponse {
  if (items.length > COLLECTION_LIMIT) {
    // HTTP status UNVERIFIED (sheet §4.4).
    throw new ApiFault(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`,
    )
  }
  const attempt = (): SaveResult[] =>
    items.map((item) => {
      try {
        const { id, created } = write(item)
        return { id, success: true, errors: [], ...(created === undefined ? {} : { created }) }
      } catch (error) {
        if (!(error instanceof ApiFault)) throw error
        return { success: false, errors: [recordError(error)] }
      }
    })
  if (!allOrNone) return { status: 200, body: attempt() }
  const restore = org.checkpoint()
  const results = attempt()
  if (!results.every((result) => result.success)) restore()
  if (results.every((result) => result.success)) return { status: 200, body: results }
  return {
    status: 200,
    body: results.map((result) =>
      result.success ? { ...result, success: false, errors: [ROLLED_BACK] } : result,
    ),
  }
}

function typeOf(attributes: unknown): string {
  const type = (attributes as { type?: unknown } | undefined)?.type
  if (typeof type !== 'string') throw new ApiFault(400, 'INVALID_TYPE', 'Must send a concrete entity type.')
  return type
}

function entityOfId(org: SalesforceOrg, id: string): string {
  const prefix = id.slice(0, 3)
  const entity = org.sobjectNames.find((name) => org.keyPrefix(name) === prefix)
  if (entity === undefined) throw new ApiFault(400, 'MALFORMED_ID', `malformed id ${id}`)
  return entity
}
