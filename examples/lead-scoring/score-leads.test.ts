import { salesforce } from '@junction/connector-salesforce'
import { salesforceSimulator } from '@junction/connector-salesforce/testing'
import { auditTrail, memoryAudit } from '@junction/core'
import { describe, expect, it } from 'vitest'
import { MODEL_VERSION } from './lead-model.js'
import { scoreLeads } from './score-leads.js'
import { LEAD_FIELDS } from './seed-leads.js'

describe('the scoring job', () => {
  it('scores the leads it can and reports the ones it cannot, without stopping', async () => {
    const sim = salesforceSimulator({
      records: {
        Lead: [
          { LastName: 'Good', Company: 'Acme', ScoreKey__c: 'LS-1', Title: 'CEO', LeadSource: 'Referral' },
          { LastName: 'Keyless', Company: 'Acme' },
          { LastName: 'Odd', Company: 'Acme', ScoreKey__c: 'LS-3', Title: 42 },
        ],
      },
      fields: { Lead: LEAD_FIELDS },
    })
    const crm = salesforce({ auth: sim.auth, dispatcher: sim.dispatcher })
    const sink = memoryAudit()
    const trail = auditTrail(sink, { actor: { type: 'service', id: 'test' } })
    const [good, keyless, odd] = sim.org.records('Lead').map((lead) => String(lead.Id))
    try {
      const summary = await scoreLeads(crm, trail, 'run-1')

      expect(summary).toMatchObject({ read: 3, scored: 1 })
      expect(summary.skipped).toEqual([
        { id: keyless, reason: 'no ScoreKey__c to upsert on' },
        { id: odd, reason: `lead ${odd}: Title should be a string` },
      ])
      expect(summary.written).toEqual({ updated: 1, created: 0, failed: [] })
      expect(sink.events.map((event) => [event.kind, event.recordIds, event.correlationId])).toEqual([
        ['decision', [good], 'run-1'],
      ])
      const stored = sim.org.records('Lead').find((lead) => lead.Id === good)
      expect(stored).toMatchObject({ ScoreModelVersion__c: MODEL_VERSION, ScoreTier__c: expect.any(String) })
      expect(sim.org.records('Lead')).toHaveLength(3)
    } finally {
      await crm.close()
      await sim.close()
    }
  })
})
