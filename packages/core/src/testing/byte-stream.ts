import { errors } from 'undici'

/**
 * A web byte stream that pulls from `source` only when its reader wants more, so a slow consumer
 * slows the producer down (a Node `Readable` is an async iterable, so it fits here too).
 */
export function byteStream(source: AsyncIterable<unknown> | Iterable<unknown>): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<unknown> | Iterator<unknown> | undefined
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      iterator ??= Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()
      const next = await iterator.next()
      if (next.done) controller.close()
      else controller.enqueue(toBytes(next.value))
    },
    async cancel(reason) {
      await iterator?.return?.(reason)
    },
  })
}

function toBytes(chunk: unknown): Uint8Array {
  if (typeof chunk === 'string') return Buffer.from(chunk)
  if (chunk instanceof Uint8Array) return chunk
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk)
  throw new errors.InvalidArgumentError('request body chunks must be strings or bytes')
}
