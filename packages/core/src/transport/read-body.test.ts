import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { type BodyFailures, collectBody, limitBody } from './read-body.js'

class TooLarge extends Error {}
class Failed extends Error {}

const failures: BodyFailures = {
  tooLarge: () => new TooLarge(),
  failed: () => new Failed(),
}

const chunks = (...parts: string[]) => Readable.from(parts.map((part) => Buffer.from(part)))

describe('collectBody', () => {
  it('joins the chunks into one Buffer', async () => {
    expect((await collectBody(chunks('ab', 'cd'), 10, failures)).toString()).toBe('abcd')
  })

  it('accepts a body of exactly the cap', async () => {
    expect((await collectBody(chunks('ab', 'cd'), 4, failures)).toString()).toBe('abcd')
  })

  it('fails past the cap and destroys the source', async () => {
    const source = chunks('ab', 'cd', 'ef')
    await expect(collectBody(source, 3, failures)).rejects.toBeInstanceOf(TooLarge)
    expect(source.destroyed).toBe(true)
  })

  it("turns the source's error into the caller's failure", async () => {
    const source = new Readable({ read() {} })
    const reading = collectBody(source, 10, failures)
    source.destroy(new Error('socket hang up'))
    await expect(reading).rejects.toBeInstanceOf(Failed)
  })
})

describe('limitBody', () => {
  it('passes a body within the cap through', async () => {
    expect((await buffer(limitBody(chunks('ab', 'cd'), 4, failures))).toString()).toBe('abcd')
  })

  it('errors the stream past the cap', async () => {
    await expect(buffer(limitBody(chunks('ab', 'cd'), 3, failures))).rejects.toBeInstanceOf(TooLarge)
  })

  it('destroys the source when the reader destroys the stream', async () => {
    const source = new Readable({ read() {} })
    const limited = limitBody(source, 10, failures)
    limited.destroy()
    await new Promise((resolve) => limited.once('close', resolve))
    expect(source.destroyed).toBe(true)
  })
})
