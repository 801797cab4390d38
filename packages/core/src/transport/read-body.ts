import { type Readable, Transform } from 'node:stream'

/** How a body read ends badly: over the byte cap, or the stream failed (with what had arrived). */
export interface BodyFailures {
  tooLarge(received: readonly Buffer[]): Error
  failed(error: unknown, received: readonly Buffer[]): Error
}

/**
 * Reads a body to the end into one Buffer, holding no more than `maxBytes`: past the cap the
 * stream is destroyed (which closes the socket) and the read fails.
 */
export function collectBody(source: Readable, maxBytes: number, failures: BodyFailures): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    source.on('data', (chunk: Buffer) => {
      if (settled) return
      size += chunk.length
      if (size > maxBytes) {
        settled = true
        reject(failures.tooLarge(chunks.length === 0 ? [chunk] : chunks))
        source.destroy()
        return
      }
      chunks.push(chunk)
    })
    source.on('end', () => {
      if (settled) return
      settled = true
      resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, size))
    })
    source.on('error', (error) => {
      if (settled) return
      settled = true
      reject(failures.failed(error, chunks))
    })
  })
}

/**
 * Hands a body on as a stream that still enforces `maxBytes`, and turns the source's failures into
 * the transport's errors. Destroying the returned stream destroys the source (and its socket).
 */
export function limitBody(source: Readable, maxBytes: number, failures: BodyFailures): Readable {
  let size = 0
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length
      if (size > maxBytes) callback(failures.tooLarge([chunk]))
      else callback(null, chunk)
    },
  })
  source.on('error', (error) => limited.destroy(failures.failed(error, [])))
  limited.on('close', () => {
    if (!source.destroyed) source.destroy()
  })
  source.pipe(limited)
  return limited
}
