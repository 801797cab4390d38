import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseAuditEvent } from '@junction/core'
import { afterEach, describe, expect, it } from 'vitest'
import { runCrmBasics } from './crm-basics.js'

describe('the CRM basics scenario', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('runs end to end against a loopback simulator and writes one audit line per operation', async () => {
    dir = await mkdtemp(join(tmpdir(), 'junction-demo-'))
    const file = join(dir, 'audit.jsonl')
    const report = await runCrmBasics(file)

    expect(report.created).toBe(2)
    expect(report.failed).toEqual([
      { index: 1, code: 'VALIDATION_FAILED', systemCode: 'REQUIRED_FIELD_MISSING' },
    ])
    expect(report.openLeads).toBe(300)
    // create: 1 sObject Collections call for the 3 records; query: a 401, its replay, then the second
    // page; the hostile query: 1.
    expect(report.calls).toEqual({ token: 2, api: 5, unauthorized: 1 })

    const lines = (await readFile(file, 'utf8')).trim().split('\n')
    const events = lines.map((line) => parseAuditEvent(JSON.parse(line)))
    expect(events.map((event) => [event.operation, event.outcome])).toEqual([
      ['create', 'partial'],
      ['query', 'success'],
      ['query', 'success'],
    ])
    expect(events[1]?.recordCount).toBe(300)
    expect(events.every((event) => event.actor.id === 'svc-demo' && event.system === 'salesforce')).toBe(true)
  })
})
