import { stringify } from 'node:querystring'
import { type Dispatcher, errors } from 'undici'
import { byteStream } from './byte-stream.js'

/** The Fetch `Request` msw handlers see for one undici dispatch. */
export function requestFromDispatch(options: Dispatcher.DispatchOptions, signal: AbortSignal): Request {
  const method = options.method
  const bodyless = ['GET', 'HEAD'].includes(method.toUpperCase())
  const body = bodyless ? undefined : bodyInit(options.body)
  return new Request(dispatchUrl(options), {
    method,
    headers: dispatchHeaders(options.headers),
    body,
    signal,
    ...(body instanceof ReadableStream ? { duplex: 'half' as const } : {}),
  })
}

/** The absolute URL of a dispatch: origin + path, with undici's `query` option serialized as undici does. */
function dispatchUrl(options: Pick<Dispatcher.DispatchOptions, 'origin' | 'path' | 'query'>): string {
  if (options.origin === undefined) throw new errors.InvalidArgumentError('dispatch options need an origin')
  const query = options.query === undefined ? '' : stringify(options.query)
  const separator = options.path.includes('?') ? '&' : '?'
  return `${new URL(String(options.origin)).origin}${options.path}${query ? `${separator}${query}` : ''}`
}

/** Headers in any form undici accepts: a record, a flat `[name, value, …]` array, or `[name, value]` pairs. */
function dispatchHeaders(input: Dispatcher.DispatchOptions['headers']): Headers {
  const headers = new Headers()
  const add = (name: unknown, value: unknown): void => {
    if (value === undefined || value === null) return
    for (const item of Array.isArray(value) ? value : [value])
      headers.append(headerText(name), headerText(item))
  }
  if (input === undefined || input === null) return headers
  if (Array.isArray(input)) {
    const items: readonly unknown[] = input
    if (items.every((item) => Array.isArray(item))) {
      for (const pair of items) if (Array.isArray(pair)) add(pair[0], pair[1])
    } else {
      for (let index = 0; index < items.length; index += 2) add(items[index], items[index + 1])
    }
  } else if (Symbol.iterator in input) {
    for (const [name, value] of input) add(name, value)
  } else {
    for (const [name, value] of Object.entries(input)) add(name, value)
  }
  return headers
}

/** Whether undici can send `body` a second time (a stream or iterable is consumed by the first send). */
export function isReplayableBody(body: unknown): boolean {
  if (body === undefined || body === null || typeof body === 'string') return true
  if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer || body instanceof Blob) return true
  return body instanceof FormData || isFormDataLike(body)
}

function headerText(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('latin1') : String(value)
}

interface FormDataLike {
  entries(): Iterable<[string, unknown]>
}

/** A body undici accepts, as a Fetch body; streams stay streams so msw reads them lazily. */
function bodyInit(body: unknown): RequestInit['body'] {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string' || body instanceof Uint8Array) return body
  if (body instanceof Blob || body instanceof FormData) return body
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (isFormDataLike(body)) return copyFormData(body)
  if (isIterable(body)) return byteStream(body)
  throw new errors.InvalidArgumentError('unsupported request body type')
}

/** undici's own FormData class is not the global one, which `Request` insists on. */
function isFormDataLike(value: unknown): value is FormDataLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.prototype.toString.call(value) === '[object FormData]' &&
    typeof (value as Partial<FormDataLike>).entries === 'function'
  )
}

function isIterable(value: unknown): value is AsyncIterable<unknown> | Iterable<unknown> {
  return (
    typeof value === 'object' && value !== null && (Symbol.asyncIterator in value || Symbol.iterator in value)
  )
}

function copyFormData(source: FormDataLike): FormData {
  const copy = new FormData()
  for (const [name, value] of source.entries()) {
    if (value instanceof Blob) copy.append(name, value)
    else copy.append(name, String(value))
  }
  return copy
}
