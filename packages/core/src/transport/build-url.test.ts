import { describe, expect, it } from 'vitest'
import { buildUrl } from './build-url.js'

describe('buildUrl', () => {
  it('returns the URL unchanged without a query', () => {
    expect(buildUrl('https://x.test/a', undefined)).toBe('https://x.test/a')
  })

  it('percent-encodes names and values, spaces as %20', () => {
    expect(buildUrl('https://x.test/a', { q: "SELECT Id FROM Account WHERE Name = 'A&B'" })).toBe(
      "https://x.test/a?q=SELECT%20Id%20FROM%20Account%20WHERE%20Name%20%3D%20'A%26B'",
    )
  })

  it('repeats a parameter for each array value', () => {
    expect(buildUrl('https://x.test/a', { id: [1, 2, 3] })).toBe('https://x.test/a?id=1&id=2&id=3')
  })

  it('leaves out undefined values and returns the bare URL when nothing is left', () => {
    expect(buildUrl('https://x.test/a', { skip: undefined })).toBe('https://x.test/a')
  })

  it('appends to a query string already on the URL', () => {
    expect(buildUrl('https://x.test/a?x=1', { y: false })).toBe('https://x.test/a?x=1&y=false')
  })
  it('keeps $ literal in parameter names, as OData system options are written', () => {
    expect(buildUrl('https://x.test/a', { $filter: "Name eq 'a$b'", $top: 10 })).toBe(
      "https://x.test/a?$filter=Name%20eq%20'a%24b'&$top=10",
    )
  })
})
