import { text } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { encodeBody } from './encode-body.js'

describe('encodeBody', () => {
  it('sends nothing without a body', () => {
    expect(encodeBody(undefined)).toEqual({ body: undefined, contentType: undefined })
  })

  it('serialises JSON', () => {
    expect(encodeBody({ type: 'json', value: { a: [1] } })).toEqual({
      body: '{"a":[1]}',
      contentType: 'application/json',
    })
  })

  it('URL-encodes a form given as URLSearchParams', () => {
    expect(encodeBody({ type: 'form', value: new URLSearchParams([['a', '1 2']]) }).body).toBe('a=1+2')
  })

  it('labels text and XML as UTF-8 unless told otherwise', () => {
    expect(encodeBody({ type: 'text', value: 'hi' }).contentType).toBe('text/plain; charset=utf-8')
    expect(encodeBody({ type: 'xml', value: '<a/>' }).contentType).toBe('application/xml; charset=utf-8')
  })

  it('passes a raw body through with its content type', () => {
    const bytes = new Uint8Array([1, 2])
    expect(encodeBody({ type: 'raw', value: bytes, contentType: 'image/png' })).toEqual({
      body: bytes,
      contentType: 'image/png',
    })
  })

  it('serialises FormData as multipart with the boundary in the content type', async () => {
    const form = new FormData()
    form.append('field', 'value')
    const encoded = encodeBody({ type: 'multipart', value: form })
    const boundary = encoded.contentType?.split('boundary=')[1]
    expect(encoded.contentType?.startsWith('multipart/form-data; boundary=')).toBe(true)
    expect(await text(encoded.body as AsyncIterable<Uint8Array>)).toContain(`--${boundary}`)
  })
})
