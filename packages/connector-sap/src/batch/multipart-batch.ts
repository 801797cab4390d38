import { randomUUID } from 'node:crypto'
import { TransportError } from '@junction/core'
import { parseMultipart } from '@mjackson/multipart-parser'
import type { BatchGroup, BatchGroupResponse, BatchPart, BatchPartResponse } from './batch-types.js'

const CRLF = '\r\n'
const STATUS_LINE = /^HTTP\/\d\.\d (\d{3})/

/** A `$batch` request body as `multipart/mixed` (sheet §4.1), with its content type. */
export function buildMultipartBatch(groups: readonly BatchGroup[]): { body: string; contentType: string } {
  const boundary = `batch_${randomUUID()}`
  const lines: string[] = []
  for (const group of groups) {
    lines.push(`--${boundary}`)
    if (group.kind === 'single') {
      lines.push(...partLines(group.part, false))
      continue
    }
    const changeset = `changeset_${randomUUID()}`
    lines.push(`Content-Type: multipart/mixed; boundary=${changeset}`, '')
    for (const part of group.parts) lines.push(`--${changeset}`, ...partLines(part, true))
    lines.push(`--${changeset}--`, '')
  }
  lines.push(`--${boundary}--`, '')
  return { body: lines.join(CRLF), contentType: `multipart/mixed; boundary=${boundary}` }
}

function partLines(part: BatchPart, inChangeset: boolean): string[] {
  const head = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary']
  if (inChangeset) head.push(`Content-ID: ${part.contentId}`)
  const headers = Object.entries(part.headers).map(([name, value]) => `${name}: ${value}`)
  // The body on one line: the SAP Cloud SDK reads a part's body as its last line (sheet §4.2).
  const body = part.body === undefined ? '' : JSON.stringify(part.body)
  return [...head, '', `${part.method} ${part.url} HTTP/1.1`, ...headers, '', body]
}

/**
 * Parses a `multipart/mixed` `$batch` answer into one response list per group, in order: a changeset
 * answers with one response per operation, or with ONE error response when it failed as a whole
 * (sheet §4.2). Parts are split by @mjackson/multipart-parser; CRLF or bare LF line ends both work.
 */
export function parseMultipartBatch(body: string, contentType: string): BatchGroupResponse[] {
  return splitParts(body, contentType).map(({ type, text }) => {
    if (type.toLowerCase().startsWith('multipart/mixed'))
      return splitParts(text, type).map(({ text: inner }) => httpResponse(inner))
    return [httpResponse(text)]
  })
}

/** The parts of a multipart text: each one's `Content-Type`, `Content-ID` and content. */
export function splitParts(
  body: string,
  contentType: string,
): Array<{ type: string; contentId: string | undefined; text: string }> {
  const boundary = boundaryOf(contentType)
  // A message written with bare LF line ends is read as CRLF (the parser wants CRLF framing).
  const normalized = body.includes('\r\n') ? body : body.replaceAll('\n', CRLF)
  try {
    return [
      ...parseMultipart(Buffer.from(normalized, 'utf8'), { boundary, maxFileSize: 64 * 1024 * 1024 }),
    ].map((part) => ({
      type: part.headers.get('content-type') ?? '',
      contentId: part.headers.get('content-id') ?? undefined,
      text: part.text,
    }))
  } catch (error) {
    throw malformed(`a $batch body does not parse as multipart (${(error as Error).message})`)
  }
}

/** The `boundary` parameter of a multipart content type. */
export function boundaryOf(contentType: string): string {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  const value = boundary?.[1] ?? boundary?.[2]
  if (value === undefined) throw malformed('a multipart $batch answer has no boundary')
  return value
}

/** An embedded HTTP message: the start line, headers, a blank line, the body. */
export function splitHttpMessage(text: string): {
  startLine: string
  headers: Record<string, string>
  body: string
} {
  const normalized = text.replaceAll('\r\n', '\n')
  const end = normalized.indexOf('\n\n')
  const head = end === -1 ? normalized : normalized.slice(0, end)
  const body = end === -1 ? '' : normalized.slice(end + 2).replace(/\n+$/, '')
  const [startLine = '', ...headerLines] = head.split('\n')
  const headers: Record<string, string> = {}
  for (const line of headerLines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { startLine: startLine.trim(), headers, body }
}

function httpResponse(text: string): BatchPartResponse {
  const { startLine, headers, body } = splitHttpMessage(text)
  const status = STATUS_LINE.exec(startLine)?.[1]
  if (status === undefined) throw malformed('a $batch part has no HTTP status line')
  return { status: Number(status), headers, body: parseBody(body, headers['content-type']) }
}

function parseBody(body: string, contentType: string | undefined): unknown {
  if (body.trim() === '') return undefined
  if (contentType?.includes('json') !== true) return body
  try {
    return JSON.parse(body)
  } catch {
    return body
  }
}

function malformed(message: string): TransportError {
  return new TransportError({ code: 'MALFORMED_RESPONSE', message: `sap: ${message}`, system: 'sap' })
}
