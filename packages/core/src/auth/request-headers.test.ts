import { describe, expect, it } from 'vitest'
import type { JunctionRequest } from '../pipeline/request.js'
import { requestHeader, withHeader } from './request-headers.js'

const request: JunctionRequest = {
  method: 'GET',
  url: 'https://api.example.com/',
  headers: { Accept: 'application/json', AUTHORIZATION: 'Basic old' },
}

describe('withHeader', () => {
  it('replaces a header whatever its spelling', () => {
    expect(withHeader(request, 'Authorization', 'Bearer new').headers).toEqual({
      Accept: 'application/json',
      authorization: 'Bearer new',
    })
  })

  it('leaves the original request untouched', () => {
    withHeader(request, 'authorization', 'Bearer new')
    expect(request.headers.AUTHORIZATION).toBe('Basic old')
  })
})

describe('requestHeader', () => {
  it('finds a header whatever its spelling', () => {
    expect(requestHeader(request, 'authorization')).toBe('Basic old')
  })
})
