import { describe, expect, it } from 'vitest'
import { normalizePhone } from './normalize-phone.js'

describe('normalizePhone', () => {
  it.each([
    ['+44 20 7946 0958', undefined, '+442079460958'],
    ['0044 20 7946 0958', undefined, '+442079460958'],
    ['0044 (0)20 7946 0958', undefined, '+442079460958'],
    ['+44 (0)20 7946 0958', undefined, '+442079460958'],
    ['+44(0)2079460958', undefined, '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['(020) 7946-0958', 'GB', '+442079460958'],
    ['tel:+44-20-7946-0958', undefined, '+442079460958'],
    ['+44 20 7946 0958 ext. 12', undefined, '+442079460958'],
    ['０２０ ７９４６ ０９５８', 'GB', '+442079460958'],
    ['\u00a0+44\u202f20\u202f7946\u202f0958 ', undefined, '+442079460958'],
    ['0044 20 7946 0958', 'US', '+442079460958'],
    ['011 44 20 7946 0958', 'US', '+442079460958'],
    ['+49 (0) 30 1234567', undefined, '+49301234567'],
    ['030 1234567', 'DE', '+49301234567'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['+1 415.555.2671', 'GB', '+14155552671'],
  ] as const)('normalizes %j (region %s) to %s', (raw, region, key) => {
    expect(normalizePhone(raw, region)).toBe(key)
  })

  it.each([
    ['020 7946 0958', undefined],
    ['12345', 'GB'],
    ['0000000000', 'GB'],
    ['call me', 'GB'],
    ['', 'GB'],
    [null, 'GB'],
  ] as const)('rejects %j (region %s)', (raw, region) => {
    expect(normalizePhone(raw, region)).toBeUndefined()
  })
})
