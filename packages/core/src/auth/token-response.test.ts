import { describe, expect, it } from 'vitest'
import { AuthError } from '../errors/error-kinds.js'
import { parseTokenResponse } from './token-response.js'

const origin = { method: 'POST', path: '/oauth/token' }

describe('parseTokenResponse', () => {
  it('reads expires_in given as a string of seconds', () => {
    const response = parseTokenResponse({ access_token: 'at-1', expires_in: '1799' }, origin)
    expect(response.expiresInSeconds).toBe(1799)
  })

  it('reads a numeric expires_in', () => {
    expect(parseTokenResponse({ access_token: 'at-1', expires_in: 3600 }, origin).expiresInSeconds).toBe(3600)
  })

  it("reads Salesforce's issued_at as a string of milliseconds", () => {
    const response = parseTokenResponse({ access_token: 'at-1', issued_at: '1717000000123' }, origin)
    expect(response.issuedAt?.toISOString()).toBe('2024-05-29T16:26:40.123Z')
  })

  it('reads an issued_at in seconds as seconds', () => {
    const response = parseTokenResponse({ access_token: 'at-1', issued_at: 1717000000 }, origin)
    expect(response.issuedAt?.toISOString()).toBe('2024-05-29T16:26:40.000Z')
  })

  it('reads instance_url, scope, token_type and a refresh token', () => {
    const response = parseTokenResponse(
      {
        access_token: 'at-1',
        token_type: 'Bearer',
        scope: 'api',
        instance_url: 'https://acme.my.salesforce.com',
        refresh_token: 'rt-1',
      },
      origin,
    )
    expect(response).toMatchObject({
      accessToken: 'at-1',
      tokenType: 'Bearer',
      scope: 'api',
      instanceUrl: 'https://acme.my.salesforce.com',
      refreshToken: 'rt-1',
    })
  })

  it('keeps the non-secret fields and drops every token-bearing one', () => {
    const response = parseTokenResponse(
      {
        access_token: 'at-1',
        refresh_token: 'rt-1',
        id_token: 'idt-1',
        signature: 'sig-1',
        token_type: 'Bearer',
        id: 'https://login.salesforce.com/id/00D/005',
      },
      origin,
    )
    expect(response.fields).toEqual({ token_type: 'Bearer', id: 'https://login.salesforce.com/id/00D/005' })
  })

  it('parses a JSON text body', () => {
    expect(parseTokenResponse('{"access_token":"at-1"}', origin).accessToken).toBe('at-1')
  })

  it('treats an unreadable expires_in as absent', () => {
    expect(
      parseTokenResponse({ access_token: 'at-1', expires_in: 'soon' }, origin).expiresInSeconds,
    ).toBeUndefined()
  })

  it('rejects a response without access_token with TOKEN_REQUEST_FAILED that does not quote the body', () => {
    let caught: unknown
    try {
      parseTokenResponse({ refresh_token: 'rt-secret-value', error: 'invalid_request' }, origin)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(AuthError)
    expect(caught).toMatchObject({
      code: 'TOKEN_REQUEST_FAILED',
      systemCode: 'invalid_request',
      retryable: false,
    })
    expect(JSON.stringify((caught as AuthError).toJSON())).not.toContain('rt-secret-value')
  })
})
