import { describe, expect, it } from 'vitest'
import { classifyIncident, FALLBACK_GROUP } from './classifier.js'

describe('classifyIncident', () => {
  it('routes by the weighted terms of the short description and description', () => {
    expect(classifyIncident({ shortDescription: 'VPN drops', description: 'DNS is slow too' })).toEqual({
      group: 'Network',
      confidence: 0.86,
      matched: ['vpn', 'dns'],
      fallback: false,
    })
  })

  it('matches whole words only, plurals included', () => {
    const decision = classifyIncident({
      shortDescription: 'Two printers jammed',
      description: 'a lesson in dnssec',
    })
    expect(decision.group).toBe('Hardware')
    expect(decision.matched).toEqual(['printer'])
  })

  it('sends an incident no group wins clearly to the fallback group', () => {
    expect(classifyIncident({ shortDescription: 'Coffee machine is loud', description: '' })).toEqual({
      group: FALLBACK_GROUP,
      confidence: 0,
      matched: [],
      fallback: true,
    })
    // Email 3 against password 3: a tie holds 3/7 of the evidence, under the 0.5 needed.
    expect(classifyIncident({ shortDescription: 'Email password', description: '' })).toMatchObject({
      group: FALLBACK_GROUP,
      confidence: 0.43,
      fallback: true,
    })
  })

  it('decides the same way every time', () => {
    const input = { shortDescription: 'Outlook mailbox full', description: 'Teams works' }
    expect(classifyIncident(input)).toEqual(classifyIncident(input))
  })
})
