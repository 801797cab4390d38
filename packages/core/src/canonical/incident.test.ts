import { describe, expect, it } from 'vitest'
import { incidentSchema } from './incident.js'

describe('incidentSchema', () => {
  const incident = { number: 'INC0010042', shortDescription: 'Printer on fire' }

  it('accepts the shared states and ServiceNow’s priority scale', () => {
    expect(incidentSchema.safeParse({ ...incident, state: 'on_hold', priority: 5 }).success).toBe(true)
  })

  it('refuses states and priorities outside them', () => {
    expect(incidentSchema.safeParse({ ...incident, state: 'In Progress' }).success).toBe(false)
    expect(incidentSchema.safeParse({ ...incident, priority: 6 }).success).toBe(false)
  })
})
