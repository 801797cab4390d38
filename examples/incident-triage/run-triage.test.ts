import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseAuditEvent } from '@junction/core'
import { requireService } from '@junction/core/testing'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { TRIAGE_MODEL } from './classifier.js'
import { runTriage, type TriageReport } from './run-triage.js'
import { SEED_INCIDENTS } from './seed-incidents.js'
import { decisionIdOf } from './work-note.js'

const redis = await requireService('redis')

const expectOneNotePerIncident = (report: TriageReport) => {
  const byNumber = new Map(report.incidents.map((incident) => [incident.number, incident]))
  for (const seed of SEED_INCIDENTS) {
    const incident = byNumber.get(seed.number)
    if (seed.assignedBy === undefined) {
      expect(incident, seed.number).toMatchObject({ group: seed.expected, notes: 1, marked: true })
    } else {
      expect(incident, seed.number).toMatchObject({ group: seed.assignedBy.group, notes: 0 })
    }
  }
  expect(report.triaged).toBe(13)
  expect(report.notesWritten).toBe(13)
}

// Each fault forces at least one redelivery (the 503 write, the lost response, the crash), and the two
// whose write had landed are found in the journal instead of being written again.
const expectFaultsSurvived = (report: TriageReport) => {
  expect(report.faultsApplied).toBe(4)
  expect(report.counts.redeliveries).toBeGreaterThanOrEqual(3)
  expect(report.counts.outcomes.recovered).toBe(2)
  expect(report.retries).toBe(2)
  expect(report.counts.deadLetters).toBe(0)
  expect(report.feedRuns).toBe(3)
}

describe('the incident-triage example', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const run = async (redisUrl?: string): Promise<TriageReport> => {
    dir = await mkdtemp(join(tmpdir(), 'junction-triage-'))
    return runTriage({ auditFile: join(dir, 'audit.jsonl'), redisUrl })
  }

  it('writes exactly one work note and the right group per incident despite redeliveries and retries', async () => {
    const report = await run()

    expect(report.backend).toBe('memory')
    expectOneNotePerIncident(report)
    expectFaultsSurvived(report)
  })

  it('publishes every decision back onto the bus, each incident with its group', async () => {
    const report = await run()

    expect(report.decisions.distinct).toBe(13)
    expect(report.decisions.received).toBeGreaterThanOrEqual(13)
    const expected = SEED_INCIDENTS.filter((seed) => seed.assignedBy === undefined).map((seed) => [
      seed.number,
      seed.expected,
    ])
    expect(report.decisions.byIncident).toEqual(Object.fromEntries(expected))
  })

  it('acknowledges the echo of its own write-backs without writing again', async () => {
    const report = await run()

    // The last feed run publishes the 13 write-backs; each is settled from the ledger.
    expect(report.counts.outcomes.duplicate).toBeGreaterThanOrEqual(13)
    expect(report.counts.outcomes.noted + report.counts.outcomes.recovered).toBe(13)
  })

  it('records each decision once in a verified audit trail, with its input snapshot and model version', async () => {
    const report = await run()
    const events = (await readFile(report.audit.file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => parseAuditEvent(JSON.parse(line)))
    const decisions = events.filter((event) => event.kind === 'decision')
    const triaged = report.incidents.filter((incident) => incident.notes === 1)

    expect(report.audit.verified).toBe(true)
    expect(decisions).toHaveLength(13)
    expect(new Set(decisions.map((event) => event.correlationId))).toEqual(
      new Set(triaged.map((incident) => decisionIdOf(incident.sysId))),
    )
    for (const event of decisions) {
      const incident = triaged.find((candidate) => candidate.sysId === event.recordIds?.[0])
      const seed = SEED_INCIDENTS.find((candidate) => candidate.number === incident?.number)
      expect(event.model).toEqual({ name: TRIAGE_MODEL.name, version: TRIAGE_MODEL.version })
      expect(event.input).toMatchObject({ number: seed?.number, short_description: seed?.short_description })
      expect(event.output).toMatchObject({ decisionId: event.correlationId, group: seed?.expected })
    }
  })

  describe.skipIf(redis.skip)('on Redis', () => {
    it('writes exactly one work note per incident with the Redis bus, checkpoints and ledger', async () => {
      const report = await run(redis.url)

      expect(report.backend).toBe('redis')
      expectOneNotePerIncident(report)
      expectFaultsSurvived(report)
      expect(report.audit).toMatchObject({ decisions: 13, verified: true })
    })

    it('deletes its keys from Redis when it is done', async () => {
      await run(redis.url)
      const client = new Redis(redis.url)
      try {
        expect(await client.keys('junction:incident-triage:*')).toEqual([])
      } finally {
        await client.quit()
      }
    })
  })
})
