import { TransportError } from '../errors/error-kinds.js'
import type { JunctionRequest, ResponseType } from '../pipeline/request.js'
import { byteSnippet, callOrigin, describeCall } from './failure-details.js'

/** How a content type's bodies are read: parsed as JSON, decoded to a string, or kept as bytes. */
export type BodyKind = 'json' | 'text' | 'binary'

/** Classifies a `content-type` header value; a missing one means bytes. */
export function bodyKind(contentType: string | undefined): BodyKind {
  if (contentType === undefined) return 'binary'
  if (contentType === 'application/json' || contentType.startsWith('application/json;')) return 'json'
  const mime = mediaType(contentType)
  if (mime === 'application/json' || mime.endsWith('+json') || mime === 'text/json') return 'json'
  if (
    mime.startsWith('text/') ||
    mime.startsWith('multipart/') ||
    mime.endsWith('/xml') ||
    mime.endsWith('+xml') ||
    mime === 'application/javascript' ||
    mime === 'application/x-www-form-urlencoded'
  ) {
    return 'text'
  }
  return 'binary'
}

/** What the transport needs to know about a response to parse its body. */
export interface ParseInput {
  bytes: Buffer
  status: number
  contentType: string | undefined
  responseType: Exclude<ResponseType, 'stream'>
  request: JunctionRequest
}

/**
 * Turns a whole body into the value `responseType` asks for. Error statuses are always parsed as
 * `auto`, leniently (JSON that does not parse stays text), so error mappers see what came back.
 */
export function parseBody({ bytes, status, contentType, responseType, request }: ParseInput): unknown {
  if (status >= 400) return parseAuto(bytes, status, contentType, true, request)
  switch (responseType) {
    case 'auto':
      return parseAuto(bytes, status, contentType, false, request)
    case 'json':
      if (bytes.length === 0) return undefined
      if (contentType !== undefined && bodyKind(contentType) !== 'json') {
        throw new TransportError({
          ...callOrigin(request),
          code: 'UNEXPECTED_CONTENT',
          message: `${describeCall(request)} answered ${status} with ${mediaType(contentType)} where JSON was expected`,
          status,
          snippet: byteSnippet([bytes]),
          // A system that is waking up or behind a captive portal answers 200 with an HTML page.
          retryable: true,
        })
      }
      return parseJson(bytes, status, request)
    case 'text':
      return decodeText(bytes, contentType)
    case 'buffer':
      return bytes
  }
}

function parseAuto(
  bytes: Buffer,
  status: number,
  contentType: string | undefined,
  lenient: boolean,
  request: JunctionRequest,
): unknown {
  if (bytes.length === 0) return undefined
  switch (bodyKind(contentType)) {
    case 'json':
      if (!lenient) return parseJson(bytes, status, request)
      try {
        return parseJson(bytes, status, request)
      } catch {
        return decodeText(bytes, contentType)
      }
    case 'text':
      return decodeText(bytes, contentType)
    case 'binary':
      return bytes
  }
}

function parseJson(bytes: Buffer, status: number, request: JunctionRequest): unknown {
  try {
    return JSON.parse(withoutBom(bytes).toString('utf8'))
  } catch (error) {
    throw new TransportError({
      ...callOrigin(request),
      code: 'MALFORMED_RESPONSE',
      message: `${describeCall(request)} answered ${status} with JSON that does not parse`,
      status,
      snippet: byteSnippet([bytes]),
      // Most often a body cut short on the way; the next attempt usually arrives whole.
      retryable: true,
      cause: error,
    })
  }
}

function decodeText(bytes: Buffer, contentType: string | undefined): string {
  const charset = contentType === undefined ? undefined : parameter(contentType, 'charset')
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8')
    return withoutBom(bytes).toString('utf8')
  try {
    return new TextDecoder(charset).decode(bytes)
  } catch {
    return withoutBom(bytes).toString('utf8')
  }
}

function withoutBom(bytes: Buffer): Buffer {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes
}

function mediaType(contentType: string): string {
  const end = contentType.indexOf(';')
  return (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase()
}

function parameter(contentType: string, name: string): string | undefined {
  for (const part of contentType.split(';').slice(1)) {
    const equals = part.indexOf('=')
    if (equals !== -1 && part.slice(0, equals).trim().toLowerCase() === name) {
      return part
        .slice(equals + 1)
        .trim()
        .replace(/^"|"$/g, '')
        .toLowerCase()
    }
  }
  return undefined
}
