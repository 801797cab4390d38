import type { Readable, Transform } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'

const DECODERS: Readonly<Record<string, () => Transform>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
}

const decodeFailures = new WeakSet<object>()

/** The content codings the transport advertises in `accept-encoding`. */
export const ACCEPTED_ENCODINGS = 'gzip, deflate, br'

/**
 * Pipes a response body through the decoder for its `content-encoding`; undefined when the
 * coding is not one we decode (the body is then handed back as sent). Node's zlib streams rather
 * than undici's decompress interceptor: the interceptor is experimental (it prints a process
 * warning on first use) and only decodes for dispatchers we compose, not for a simulator's.
 */
export function decompressBody(body: Readable, contentEncoding: string): Readable | undefined {
  const create = DECODERS[contentEncoding.trim().toLowerCase()]
  if (create === undefined) return undefined
  const decoder = create()
  let upstreamFailure: unknown
  body.on('error', (error) => {
    upstreamFailure = error
    decoder.destroy(error)
  })
  decoder.on('error', (error) => {
    if (error !== upstreamFailure) decodeFailures.add(error)
  })
  // A reader that gives up early destroys the decoder; the socket must not keep streaming.
  decoder.on('close', () => {
    if (!body.destroyed) body.destroy()
  })
  body.pipe(decoder)
  return decoder
}

/** Whether `error` came from decoding a compressed body (the bytes were corrupt or cut short). */
export function isDecodeFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && decodeFailures.has(error)
}
