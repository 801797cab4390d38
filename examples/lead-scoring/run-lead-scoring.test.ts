import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseAuditEvent, verifyAuditLog } from '@junction/core'
import { requireService } from '@junction/core/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { leadFeatures } from './lead-features.js'
import { MODEL_NAME, MODEL_VERSION, scoreLead } from './lead-model.js'
import { type LeadScoringOptions, runLeadScoring } from './run-lead-scoring.js'

const redis = await requireService('redis')

// Small and fast: the figures come from `main.ts`, never from a test.
const small = (auditFile: string): LeadScoringOptions => ({
  auditFile,
  leads: 40,
  requests: 400,
  concurrency: 8,
  salesforceLatencyMs: 5,
  windowSize: 100,
})

describe('the lead-scoring example', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })
  const auditFile = async () => {
    dir = await mkdtemp(join(tmpdir(), 'junction-lead-scoring-'))
    return join(dir, 'audit.jsonl')
  }

  it('writes every lead’s score back by upsert on ScoreKey__c, updating the leads in place', async () => {
    const report = await runLeadScoring(small(await auditFile()))

    expect(report.scoring).toMatchObject({ read: 40, scored: 40, skipped: [] })
    expect(report.scoring.written).toEqual({ updated: 40, created: 0, failed: [] })
    expect(report.storedLeads).toHaveLength(40)
    for (const lead of report.storedLeads) {
      const expected = scoreLead(leadFeatures(lead))
      expect(lead).toMatchObject({
        Score__c: expected.score,
        ScoreTier__c: expected.tier,
        ScoreModelVersion__c: MODEL_VERSION,
      })
    }
  })

  it('answers repeated calls from the cache, reading each lead from Salesforce once', async () => {
    const report = await runLeadScoring(small(await auditFile()))
    const { endpoint } = report

    expect(endpoint.statuses).toEqual({ 200: 400 })
    expect(endpoint.distinctLeads).toBeLessThan(40)
    // Concurrent misses for one lead share its one read (coalescing); each waiter counts as a miss.
    expect(endpoint.salesforceCalls.count).toBe(endpoint.distinctLeads)
    expect(endpoint.cacheEvents.hits + endpoint.cacheEvents.misses).toBe(400)
    expect(endpoint.cacheEvents.misses).toBeGreaterThanOrEqual(endpoint.distinctLeads)
    // Whatever the timing: each read is shared by at most the 8 calls in flight, so most calls hit.
    expect(endpoint.cacheEvents.misses).toBeLessThanOrEqual(endpoint.distinctLeads * 8)
    expect(endpoint.cacheEvents.hits).toBeGreaterThanOrEqual(400 - endpoint.distinctLeads * 8)
    // The endpoint's x-cache header and the connector's cache events tell the same story.
    expect(endpoint.hitRate).toBe(endpoint.cacheEvents.hitRate)
    expect(endpoint.byCache.hit.count).toBe(endpoint.cacheEvents.hits)
    expect(endpoint.windows.map((window) => [window.from, window.to])).toEqual([
      [0, 100],
      [100, 200],
      [200, 300],
      [300, 400],
    ])
  })

  it('records each score as a decision with its input and model version, in a log that verifies', async () => {
    const file = await auditFile()
    const report = await runLeadScoring(small(file))

    expect(report.audit.verification.ok).toBe(true)
    expect(report.audit).toMatchObject({ events: 42, decisions: 40, operations: { query: 1, upsert: 1 } })
    const events = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => parseAuditEvent(JSON.parse(line)))
    const decisions = events.filter((event) => event.kind === 'decision')
    const ids = new Set(report.storedLeads.map((lead) => lead.Id))
    for (const decision of decisions) {
      expect(decision.model).toEqual({ name: MODEL_NAME, version: MODEL_VERSION })
      const input = decision.input as { id: string; features: Parameters<typeof scoreLead>[0] }
      expect(ids.has(input.id)).toBe(true)
      expect(decision.recordIds).toEqual([input.id])
      expect(decision.output).toEqual(scoreLead(input.features))
    }
    const upsert = events.find((event) => event.kind === 'operation' && event.operation === 'upsert')
    expect(upsert).toMatchObject({ outcome: 'success', recordCount: 40, entity: 'Lead' })
  })

  it('detects an edited line in its audit log', async () => {
    const file = await auditFile()
    await runLeadScoring(small(file))
    const lines = (await readFile(file, 'utf8')).split('\n')
    const original = lines[3] ?? ''
    lines[3] = original.replace(/"score":\d+/, (found) => (found === '"score":1' ? '"score":2' : '"score":1'))
    expect(lines[3]).not.toBe(original)
    await writeFile(file, lines.join('\n'))
    const verification = await verifyAuditLog(file)
    expect(verification.ok).toBe(false)
    if (!verification.ok) expect(verification.failure).toMatchObject({ line: 4, reason: 'hash-mismatch' })
  })

  describe.skipIf(redis.skip)('with REDIS_URL (Redis cache)', () => {
    it('serves the calls from the Redis cache', async () => {
      const report = await runLeadScoring({ ...small(await auditFile()), redisUrl: redis.url })

      expect(report.cache).toBe('redis')
      expect(report.endpoint.statuses).toEqual({ 200: 400 })
      expect(report.endpoint.salesforceCalls.count).toBe(report.endpoint.distinctLeads)
      expect(report.endpoint.cacheEvents.hits).toBeGreaterThanOrEqual(400 - report.endpoint.distinctLeads * 8)
      expect(report.endpoint.hitRate).toBe(report.endpoint.cacheEvents.hitRate)
      expect(report.scoring.written.updated).toBe(40)
    })
  })
})
