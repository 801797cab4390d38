import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { requireService } from '@junction/core/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { reportLines } from './print-report.js'
import { runDemo } from './run-demo.js'
import { SCENARIOS } from './scenarios.js'

const redis = await requireService('redis')

describe('the demo', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('runs every scenario and reports per-system figures and verified audit trails', async () => {
    dir = await mkdtemp(join(tmpdir(), 'junction-demo-'))
    const report = await runDemo({ workDir: dir })

    expect(report.scenarios.map((scenario) => scenario.name)).toEqual(
      SCENARIOS.map((scenario) => scenario.name),
    )
    expect(report.recordsMoved).toBe(report.scenarios.reduce((sum, scenario) => sum + scenario.records, 0))
    expect(report.recordsMoved).toBeGreaterThan(0)
    expect(report.systems.map((system) => system.system).sort()).toEqual(
      expect.arrayContaining(['acme-erp', 'salesforce', 'servicenow']),
    )
    for (const system of report.systems) {
      expect(system.calls).toBeGreaterThan(0)
      expect(system.p95Ms).toBeGreaterThanOrEqual(system.p50Ms)
    }
    expect(report.audit).toMatchObject({ files: SCENARIOS.length, verified: true })
    expect(report.audit.events).toBeGreaterThan(0)
    expect(reportLines(report).join('\n')).toContain('all verified')
  }, 120_000)

  it.skipIf(redis.skip)(
    'keeps its state in Redis when given a Redis URL',
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'junction-demo-'))
      const report = await runDemo({ workDir: dir, redisUrl: redis.url })
      expect(report.backend).toBe('redis')
      expect(report.audit.verified).toBe(true)
      expect(report.recordsMoved).toBeGreaterThan(0)
    },
    120_000,
  )
})
