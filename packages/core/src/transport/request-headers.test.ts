import { describe, expect, it } from 'vitest'
import { requestHeaders } from './request-headers.js'

describe('requestHeaders', () => {
  it('lower-cases header names', () => {
    expect(requestHeaders({ 'X-Api-Version': '2' }, {}, undefined)).toEqual({ 'x-api-version': '2' })
  })

  it('fills in defaults the request does not set', () => {
    expect(requestHeaders({ Accept: 'application/json' }, { 'user-agent': 'junction' }, undefined)).toEqual({
      accept: 'application/json',
      'user-agent': 'junction',
    })
  })

  it('keeps the request value over a default whatever its case', () => {
    expect(requestHeaders({ 'User-Agent': 'mine' }, { 'user-agent': 'junction' }, undefined)).toEqual({
      'user-agent': 'mine',
    })
  })

  it("adds the body's content type unless the request set one", () => {
    expect(requestHeaders({}, {}, 'application/json')).toEqual({ 'content-type': 'application/json' })
    expect(
      requestHeaders({ 'Content-Type': 'application/merge-patch+json' }, {}, 'application/json'),
    ).toEqual({
      'content-type': 'application/merge-patch+json',
    })
  })
})
