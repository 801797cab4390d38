import { type Dispatcher, request as undiciRequest } from 'undici'
import { parseOptions } from '../config/parse-options.js'
import { ConfigError, TransportError } from '../errors/error-kinds.js'
import type { Handler, JunctionRequest, JunctionResponse, ResponseHeaders } from '../pipeline/request.js'
import { buildUrl } from './build-url.js'
import { CallDeadline } from './call-deadline.js'
import { createDispatcher } from './create-dispatcher.js'
import { ACCEPTED_ENCODINGS, decompressBody } from './decompress-body.js'
import { encodeBody } from './encode-body.js'
import { byteSnippet, callOrigin, describeCall } from './failure-details.js'
import { mapUndiciError } from './map-undici-error.js'
import { parseBody } from './parse-body.js'
import { type BodyFailures, collectBody, limitBody } from './read-body.js'
import { requestHeaders } from './request-headers.js'
import { type TransportOptions, transportOptionsSchema } from './transport-options.js'

export { type TransportOptions, transportOptionsSchema } from './transport-options.js'

/** The innermost handler of every pipeline: sends a request over HTTP and reads the response. */
export interface Transport {
  send: Handler
  /** Closes the connections the transport opened (never a dispatcher it was given). */
  close(): Promise<void>
}

/** Transport options plus a dispatcher to send through instead of the transport's own Agent. */
export type TransportSetup = TransportOptions & {
  /** e.g. a simulator's in-process dispatcher; the transport does not close it. */
  dispatcher?: Dispatcher | undefined
}

/** Creates a transport on undici: one keep-alive Agent, deadlines, byte caps and typed errors. */
export function createTransport(setup: TransportSetup = {}): Transport {
  const { dispatcher: given, ...rest } = setup
  if (given !== undefined && typeof (given as Partial<Dispatcher>).dispatch !== 'function') {
    throw new ConfigError({
      message: 'invalid transport options: dispatcher: expected an undici Dispatcher',
      option: 'dispatcher',
    })
  }
  const options = parseOptions(transportOptionsSchema, rest, 'transport')
  const dispatcher = given ?? createDispatcher(options)
  const defaults: Readonly<Record<string, string>> = options.decompress
    ? { 'user-agent': options.userAgent, 'accept-encoding': ACCEPTED_ENCODINGS }
    : { 'user-agent': options.userAgent }
  const maxBytes = options.maxResponseBytes
  // Our own Agent carries the timeouts; a given dispatcher (a simulator's) is told per request.
  const timeouts =
    given === undefined
      ? {}
      : { headersTimeout: options.headersTimeoutMs, bodyTimeout: options.bodyTimeoutMs }

  const send = async <T>(request: JunctionRequest): Promise<JunctionResponse<T>> => {
    const url = buildUrl(request.url, request.query)
    const encoded = encodeBody(request.body)
    const deadline = new CallDeadline(request.signal, request.timeoutMs ?? options.timeoutMs)
    let response: Dispatcher.ResponseData
    try {
      response = await undiciRequest(url, {
        dispatcher,
        method: request.method,
        headers: requestHeaders(request.headers, defaults, encoded.contentType),
        body: encoded.body as Dispatcher.RequestOptions['body'],
        signal: deadline,
        ...timeouts,
      })
    } catch (error) {
      deadline.clear()
      throw mapUndiciError(error, { request, deadline })
    }

    const status = response.statusCode
    const failures = new CallFailures(request, deadline, status, maxBytes)
    // HEAD, 204 and 304 answers describe a body they do not carry: nothing to decode or cap.
    const bodyless = request.method === 'HEAD' || status === 204 || status === 304
    const encoding = options.decompress && !bodyless ? response.headers['content-encoding'] : undefined
    const decoder = typeof encoding === 'string' ? decompressBody(response.body, encoding) : undefined
    const headers = decoder === undefined ? response.headers : withoutCoding(response.headers)
    const body = decoder ?? response.body
    if (!bodyless && declaredLength(headers) > maxBytes) {
      body.destroy()
      deadline.clear()
      throw failures.tooLarge([])
    }

    const responseType = request.responseType ?? 'auto'
    if (responseType === 'stream' && status < 400) {
      const stream = limitBody(body, maxBytes, failures)
      stream.on('close', () => deadline.clear())
      return { status, headers, body: stream as T, url }
    }
    try {
      const bytes = await collectBody(body, maxBytes, failures)
      const contentType = headers['content-type']
      return {
        status,
        headers,
        body: parseBody({
          bytes,
          status,
          contentType: Array.isArray(contentType) ? contentType[0] : contentType,
          responseType: responseType === 'stream' ? 'auto' : responseType,
          request,
        }) as T,
        url,
      }
    } finally {
      deadline.clear()
    }
  }

  return {
    send,
    async close() {
      if (given === undefined) await dispatcher.close()
    },
  }
}

/** Response headers once the body is decoded: the coding and its length no longer apply. */
function withoutCoding(headers: ResponseHeaders): ResponseHeaders {
  const decoded: Record<string, string | string[] | undefined> = {}
  for (const name of Object.keys(headers)) {
    if (name !== 'content-encoding' && name !== 'content-length') decoded[name] = headers[name]
  }
  return decoded
}

/** The errors of one call's body read, built only when it fails. */
class CallFailures implements BodyFailures {
  constructor(
    readonly request: JunctionRequest,
    readonly deadline: CallDeadline,
    readonly status: number,
    readonly maxBytes: number,
  ) {}

  tooLarge(received: readonly Buffer[]): Error {
    return new TransportError({
      ...callOrigin(this.request),
      code: 'RESPONSE_TOO_LARGE',
      message: `${describeCall(this.request)}: the response is larger than maxResponseBytes (${this.maxBytes})`,
      status: this.status,
      snippet: byteSnippet(received),
    })
  }

  failed(error: unknown, received: readonly Buffer[]): Error {
    return mapUndiciError(error, {
      request: this.request,
      deadline: this.deadline,
      status: this.status,
      received,
    })
  }
}

function declaredLength(headers: ResponseHeaders): number {
  const length = headers['content-length']
  return typeof length === 'string' ? Number(length) : 0
}
