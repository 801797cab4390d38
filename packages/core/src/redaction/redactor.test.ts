import { describe, expect, it } from 'vitest'
import { JunctionError } from '../errors/junction-error.js'
import { Redactor } from './redactor.js'

describe('Redactor', () => {
  it('replaces registered secrets in text', () => {
    const redactor = new Redactor(() => ['s3cr3t-value'])
    expect(redactor.text('password was s3cr3t-value!')).toBe('password was [REDACTED]!')
  })

  it('asks its sources each time so rotated tokens are covered', () => {
    let token = 'first-token'
    const redactor = new Redactor(() => [token])
    token = 'second-token'
    expect(redactor.text('got second-token')).toBe('got [REDACTED]')
  })

  it('masks bearer and basic credentials it was never told about', () => {
    const redactor = new Redactor()
    expect(redactor.text('Authorization: Bearer abc.def.ghi')).toBe('Authorization: Bearer [REDACTED]')
    expect(redactor.text('Authorization: Basic dXNlcjpwYXNz')).toBe('Authorization: Basic [REDACTED]')
  })

  it('masks secret fields in form and JSON text', () => {
    const redactor = new Redactor()
    expect(redactor.text('grant_type=password&password=hunter22&client_id=abc')).toBe(
      'grant_type=password&password=[REDACTED]&client_id=abc',
    )
    expect(redactor.text('{"access_token":"tok123","token_type":"Bearer"}')).toBe(
      '{"access_token":"[REDACTED]","token_type":"Bearer"}',
    )
  })

  it('masks Salesforce session ids', () => {
    expect(new Redactor().text('session 00D5g000000XyZE!AQ8AQH.x_y')).toBe('session [REDACTED]')
  })

  it('masks secret-named keys in nested values and leaves the rest', () => {
    const redactor = new Redactor()
    const when = new Date('2026-01-01T00:00:00Z')
    expect(
      redactor.value({
        user: 'ann',
        auth: { password: 'x', clientSecret: 'y' },
        headers: { Authorization: 'z' },
        when,
      }),
    ).toEqual({
      user: 'ann',
      auth: { password: '[REDACTED]', clientSecret: '[REDACTED]' },
      headers: { Authorization: '[REDACTED]' },
      when,
    })
  })

  it('scrubs an error, its snippet, details and its cause chain', () => {
    const redactor = new Redactor(() => ['topsecret'])
    const cause = new Error('inner topsecret')
    const error = new JunctionError({
      code: 'AUTH_FAILED',
      message: 'outer topsecret',
      snippet: '{"error":"topsecret"}',
      details: { echoed: 'topsecret' },
      cause,
    })
    redactor.error(error)
    const everything = JSON.stringify([
      error.message,
      error.stack,
      error.snippet,
      error.details,
      cause.message,
      cause.stack,
    ])
    expect(everything).not.toContain('topsecret')
  })
})
