import { randomUUID } from 'node:crypto'
import { splitHttpMessage, splitParts } from '../batch/multipart-batch.js'
import { ODataFault } from './sim-fault.js'
import { errorResponse, jsonResponse, type SimRequest, type SimResponse } from './sim-http.js'
import type { SimService } from './sim-service.js'

/** Runs one sub-request against the service; `resource` is the decoded path below the service root. */
export type SubRequestRunner = (request: SimRequest, resource: string) => SimResponse

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  428: 'Precondition Required',
  500: 'Internal Server Error',
}

/**
 * Answers `POST $batch` (sheet §4): multipart/mixed in and out (boundaries from the headers, CRLF or
 * LF, sub-URLs relative to the root or absolute paths, `Content-ID` and `$<id>` references inside a
 * changeset), each changeset atomic and collapsed into ONE error part when any of its operations
 * fails; JSON bodies written on one line. V2 answers 202, V4 200. A V4 `application/json` body is an
 * OData 4.01 JSON batch.
 */
export function handleBatch(
  service: SimService,
  request: SimRequest,
  base: string,
  run: SubRequestRunner,
): SimResponse {
  const { version, name } = service.definition
  const contentType = request.headers['content-type'] ?? ''
  try {
    if (version === 'v4' && contentType.startsWith('application/json'))
      return jsonBatch(service, request, base, run)
    if (!contentType.startsWith('multipart/mixed'))
      throw new ODataFault(400, '/IWBEP/CM_MGW_RT/070', 'A $batch request must be multipart/mixed')
    const boundary = `batch_sim_${randomUUID()}`
    const out: string[] = []
    for (const part of splitParts(request.body, contentType)) {
      out.push(`--${boundary}`)
      if (part.type.startsWith('multipart/mixed')) {
        out.push(...changeset(service, splitParts(part.text, part.type), request, base, run))
        continue
      }
      const sub = subRequest(part.text, request, base)
      const answer =
        sub.request.method === 'GET'
          ? run(sub.request, sub.resource)
          : errorResponse(
              new ODataFault(400, '/IWBEP/CM_MGW_RT/071', 'Write operations must be in a changeset'),
              name,
              version,
            )
      out.push(...httpPart(answer))
    }
    out.push(`--${boundary}--`, '')
    return {
      status: version === 'v2' ? 202 : 200,
      headers: {
        'content-type': `multipart/mixed; boundary=${boundary}`,
        ...(version === 'v2' ? { dataserviceversion: '2.0' } : { 'odata-version': '4.0' }),
      },
      body: out.join('\r\n'),
    }
  } catch (error) {
    if (error instanceof ODataFault) return errorResponse(error, name, version)
    throw error
  }
}

function changeset(
  service: SimService,
  parts: ReturnType<typeof splitParts>,
  request: SimRequest,
  base: string,
  run: SubRequestRunner,
): string[] {
  service.begin()
  const created = new Map<string, string>()
  const answers: SimResponse[] = []
  for (const part of parts) {
    const sub = subRequest(part.text, request, base, created)
    if (sub.request.method === 'GET')
      throw new ODataFault(400, '/IWBEP/CM_MGW_RT/072', 'A changeset may hold only writes')
    const answer = run(sub.request, sub.resource)
    if (answer.status >= 400) {
      service.rollback()
      return httpPart(answer)
    }
    const location = answer.headers.location
    if (part.contentId !== undefined && location !== undefined)
      created.set(part.contentId, decodeURIComponent(location.slice(base.length + 1)))
    answers.push(answer)
  }
  service.commit()
  const boundary = `changeset_sim_${randomUUID()}`
  const lines = [`Content-Type: multipart/mixed; boundary=${boundary}`, '']
  for (const answer of answers) lines.push(`--${boundary}`, ...httpPart(answer))
  lines.push(`--${boundary}--`, '')
  return lines
}

function subRequest(
  text: string,
  outer: SimRequest,
  base: string,
  created?: ReadonlyMap<string, string>,
): { request: SimRequest; resource: string } {
  const { startLine, headers, body } = splitHttpMessage(text)
  const match = /^(GET|POST|PUT|PATCH|MERGE|DELETE) (\S+) HTTP\/1\.1$/.exec(startLine)
  if (match === null) throw new ODataFault(400, '/IWBEP/CM_MGW_RT/073', 'A $batch part has no request line')
  let target = match[2] as string
  const reference = /^\$([^/?]+)(.*)$/.exec(target)
  if (reference !== null && created !== undefined) {
    const path = created.get(reference[1] as string)
    if (path === undefined)
      throw new ODataFault(400, '/IWBEP/CM_MGW_RT/074', `Content-ID reference $${reference[1]} is unknown`)
    target = `${path}${reference[2]}`
  }
  const basePath = new URL(base).pathname
  const url = new URL(target.startsWith('/') ? target : `${basePath}/${target}`, base)
  const resource = decodeURIComponent(url.pathname.slice(basePath.length + 1))
  return {
    request: {
      method: match[1] as string,
      url,
      headers: { ...headers, cookie: outer.headers.cookie ?? '' },
      body,
    },
    resource,
  }
}

function httpPart(answer: SimResponse): string[] {
  const head = [`HTTP/1.1 ${answer.status} ${STATUS_TEXT[answer.status] ?? 'Status'}`]
  for (const [name, value] of Object.entries(answer.headers)) head.push(`${name}: ${value}`)
  // One line, as the SAP Cloud SDK reads a part's body from its last line (sheet §4.2).
  const body = answer.body.replaceAll('\n', '')
  head.push(`content-length: ${Buffer.byteLength(body)}`)
  const message = [...head, '', body].join('\r\n')
  return [
    'Content-Type: application/http',
    `Content-Length: ${Buffer.byteLength(message)}`,
    'content-transfer-encoding: binary',
    '',
    message,
    '',
  ]
}

interface JsonBatchRequest {
  id: string
  method: string
  url: string
  atomicityGroup?: string
  headers?: Record<string, string>
  body?: unknown
}

function jsonBatch(
  service: SimService,
  request: SimRequest,
  base: string,
  run: SubRequestRunner,
): SimResponse {
  let requests: JsonBatchRequest[]
  try {
    requests = (JSON.parse(request.body) as { requests: JsonBatchRequest[] }).requests
    if (!Array.isArray(requests)) throw new Error('no requests')
  } catch {
    throw new ODataFault(400, '/IWBEP/CM_MGW_RT/070', 'A JSON $batch body needs a requests array')
  }
  const responses: unknown[] = []
  const basePath = new URL(base).pathname
  let index = 0
  while (index < requests.length) {
    const group = requests[index]?.atomicityGroup
    const members =
      group === undefined
        ? [requests[index] as JsonBatchRequest]
        : requests
            .slice(index)
            .filter(
              (item, at, all) =>
                item.atomicityGroup === group &&
                all.slice(0, at).every((before) => before.atomicityGroup === group),
            )
    index += members.length
    service.begin()
    const answers: unknown[] = []
    let failed: unknown
    for (const item of members) {
      const url = new URL(item.url.startsWith('/') ? item.url : `${basePath}/${item.url}`, base)
      const headers = Object.fromEntries(
        Object.entries(item.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
      )
      const answer = run(
        {
          method: item.method.toUpperCase(),
          url,
          headers: { accept: 'application/json', ...headers },
          body: item.body === undefined ? '' : JSON.stringify(item.body),
        },
        decodeURIComponent(url.pathname.slice(basePath.length + 1)),
      )
      const response = {
        id: item.id,
        status: answer.status,
        headers: answer.headers,
        ...(answer.body === '' ? {} : { body: JSON.parse(answer.body) as unknown }),
      }
      if (answer.status >= 400 && group !== undefined) {
        failed = response
        break
      }
      answers.push(response)
    }
    if (failed !== undefined) {
      service.rollback()
      responses.push(failed)
    } else {
      service.commit()
      responses.push(...answers)
    }
  }
  return jsonResponse(200, { responses }, 'v4')
}
