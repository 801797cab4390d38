import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decompressBody, isDecodeFailure } from './decompress-body.js'

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

describe('decompressBody', () => {
  it('decodes a gzip body', async () => {
    const decoded = decompressBody(Readable.from([gzipSync('hello')]), 'gzip')
    expect((await buffer(decoded ?? Readable.from([]))).toString()).toBe('hello')
  })

  it('reads the coding case- and space-insensitively', () => {
    expect(decompressBody(Readable.from([]), ' GZIP ')).toBeDefined()
  })

  it('leaves a coding it does not decode alone', () => {
    expect(decompressBody(Readable.from([]), 'zstd')).toBeUndefined()
  })

  it('marks corrupt compressed bytes as a decode failure', async () => {
    const decoded = decompressBody(Readable.from([Buffer.from('not gzip')]), 'gzip')
    expect(isDecodeFailure(await caught(buffer(decoded ?? Readable.from([]))))).toBe(true)
  })

  it('passes a failure of the source on without marking it as a decode failure', async () => {
    const source = new Readable({ read() {} })
    const decoded = decompressBody(source, 'gzip')
    const reading = caught(buffer(decoded ?? Readable.from([])))
    const reset = new Error('socket reset')
    source.destroy(reset)
    const error = await reading
    expect(error).toBe(reset)
    expect(isDecodeFailure(error)).toBe(false)
  })

  it('destroys the source when the reader gives up', async () => {
    const source = new Readable({ read() {} })
    const decoded = decompressBody(source, 'gzip')
    decoded?.destroy()
    await new Promise((resolve) => decoded?.once('close', resolve))
    expect(source.destroyed).toBe(true)
  })
})
