import type { SalesforceConnector } from '@junction/connector-salesforce'
import {
  type AuditTrail,
  type EntityRecord,
  upsertTarget,
  ValidationError,
  type WriteResult,
  writeBack,
} from '@junction/core'
import { FEATURE_FIELDS, leadFeatures } from './lead-features.js'
import { type LeadFeatures, type LeadScore, MODEL_NAME, MODEL_VERSION, scoreLead } from './lead-model.js'

/** One lead's score on its way back to Salesforce. */
interface ScoredLead {
  id: string
  scoreKey: string
  result: LeadScore
  scoredAt: Date
}

/** What the scoring job did. */
export interface ScoringSummary {
  /** Leads read from Salesforce. */
  read: number
  /** Leads scored, each with a decision event in the audit trail. */
  scored: number
  /** Leads not scored: no `ScoreKey__c` to upsert on, or a feature field of the wrong type. */
  skipped: Array<{ id: string; reason: string }>
  /** Upsert results: records updated in place, records created (an unknown key), records refused. */
  written: { updated: number; created: number; failed: Array<{ scoreKey: string; code: string }> }
  tiers: Record<LeadScore['tier'], number>
  durationMs: number
}

/**
 * The batch half of the example: reads every lead, scores it with the shipped model, records each
 * decision (input, output, model version) in the audit trail, then upserts the scores on `ScoreKey__c`
 * through the connector (sObject Collections, 200 records a call).
 */
export async function scoreLeads(
  crm: SalesforceConnector,
  trail: AuditTrail,
  correlationId: string,
): Promise<ScoringSummary> {
  const started = performance.now()
  const scored: ScoredLead[] = []
  const skipped: ScoringSummary['skipped'] = []
  const tiers = { hot: 0, warm: 0, cold: 0 }
  let read = 0
  for await (const lead of crm.query('Lead', { select: [...FEATURE_FIELDS], pageSize: 200 })) {
    read++
    const id = String(lead.Id)
    if (typeof lead.ScoreKey__c !== 'string' || lead.ScoreKey__c === '') {
      skipped.push({ id, reason: 'no ScoreKey__c to upsert on' })
      continue
    }
    let features: LeadFeatures
    try {
      features = leadFeatures(lead)
    } catch (error) {
      // One malformed lead must not stop the night's scoring; it is reported, not guessed at.
      if (!(error instanceof ValidationError)) throw error
      skipped.push({ id, reason: error.message })
      continue
    }
    const result = scoreLead(features)
    await trail.decision({
      model: MODEL_NAME,
      version: MODEL_VERSION,
      input: { id, scoreKey: lead.ScoreKey__c, features },
      output: result,
      entity: 'Lead',
      recordIds: [id],
      correlationId,
    })
    tiers[result.tier]++
    scored.push({ id, scoreKey: lead.ScoreKey__c, result, scoredAt: new Date() })
  }

  const outcome = await writeBack<ScoredLead>({
    targets: [
      upsertTarget({
        connector: crm,
        entity: 'Lead',
        externalId: 'ScoreKey__c',
        map: (lead): EntityRecord => ({
          ScoreKey__c: lead.scoreKey,
          Score__c: lead.result.score,
          ScoreTier__c: lead.result.tier,
          ScoreModelVersion__c: MODEL_VERSION,
          ScoredAt__c: lead.scoredAt.toISOString(),
        }),
      }),
    ],
    records: scored,
    correlationId,
  })
  const results: WriteResult[] = outcome.targets[0]?.results ?? []
  return {
    read,
    scored: scored.length,
    skipped,
    written: {
      updated: results.filter((r) => r.ok && r.created === false).length,
      created: results.filter((r) => r.ok && r.created === true).length,
      failed: results.flatMap((r) =>
        r.ok ? [] : [{ scoreKey: scored[r.index]?.scoreKey ?? '?', code: r.error.code }],
      ),
    },
    tiers,
    durationMs: Math.round(performance.now() - started),
  }
}
