import { describe, expect, it } from 'vitest'
import { normalizeEmail } from './normalize-email.js'

describe('normalizeEmail', () => {
  it.each([
    ['Jane.Doe@Example.COM', 'jane.doe@example.com'],
    ['  jane@example.com\t\n', 'jane@example.com'],
    ['\u00a0jane@example.com\u2003', 'jane@example.com'],
    ['mailto:Jane@Example.com', 'jane@example.com'],
    ['Jane Doe <JANE@example.com>', 'jane@example.com'],
    ['ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'jane@example.com'],
    ['JOSÉ@EXAMPLE.ES', 'josé@example.es'],
    ['jane.doe+crm@gmail.com', 'jane.doe+crm@gmail.com'],
  ])('normalizes %j to %j', (raw, key) => {
    expect(normalizeEmail(raw)).toBe(key)
  })

  it('does not fold Gmail dots: j.ane and jane stay different keys', () => {
    expect(normalizeEmail('j.ane@gmail.com')).not.toBe(normalizeEmail('jane@gmail.com'))
  })

  it.each([
    [''],
    ['   '],
    ['n/a'],
    ['jane@'],
    ['@example.com'],
    ['jane@example'],
    ['a b@example.com'],
    [null],
    [undefined],
  ])('rejects %j', (raw) => {
    expect(normalizeEmail(raw)).toBeUndefined()
  })
})
