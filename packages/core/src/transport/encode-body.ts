import { Readable } from 'node:stream'
import type { ReadableStream } from 'node:stream/web'
import type { RequestBody } from '../pipeline/request.js'

/** A request body in a form undici sends, with the content type it implies. */
export interface EncodedBody {
  body: string | Uint8Array | Readable | AsyncIterable<Uint8Array> | undefined
  contentType: string | undefined
}

const NO_BODY: EncodedBody = { body: undefined, contentType: undefined }

/** Encodes a tagged request body for the wire. */
export function encodeBody(body: RequestBody | undefined): EncodedBody {
  if (body === undefined) return NO_BODY
  switch (body.type) {
    case 'json':
      return { body: JSON.stringify(body.value), contentType: 'application/json' }
    case 'form':
      return {
        body: (body.value instanceof URLSearchParams
          ? body.value
          : new URLSearchParams(body.value)
        ).toString(),
        contentType: 'application/x-www-form-urlencoded',
      }
    case 'text':
      return { body: body.value, contentType: body.contentType ?? 'text/plain; charset=utf-8' }
    case 'xml':
      return { body: body.value, contentType: body.contentType ?? 'application/xml; charset=utf-8' }
    case 'multipart':
      return encodeMultipart(body.value)
    case 'raw':
      return { body: body.value, contentType: body.contentType }
  }
}

/**
 * Serialises FormData with the fetch implementation that built it (Node's own undici): undici 7's
 * encoder only accepts its own FormData class, and the caller's is the global one.
 */
function encodeMultipart(form: FormData): EncodedBody {
  const encoded = new Response(form)
  return {
    body: encoded.body === null ? undefined : Readable.fromWeb(encoded.body as ReadableStream<Uint8Array>),
    contentType: encoded.headers.get('content-type') ?? undefined,
  }
}
