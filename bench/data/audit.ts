/**
 * Audit figures for `pnpm bench:data`: hash-chained JSONL appends per second with batched fsync
 * (`fsync: 'interval'`, 1 s) and, for contrast, with `fsync: 'always'` (64 writers in flight, so
 * concurrent lines share an fsync, and one writer at a time, an fsync per line); `verifyAuditLog`
 * lines per second over the batched log; and PostgreSQL sink events per second (256 writers in
 * flight, batched into multi-row INSERTs; and behind `bufferedAudit`, which hands the sink 1,000 at a
 * time, timed until `close()` has delivered them all). Each figure is the median of 3 rounds; the events are
 * decision events with a ~400-byte input. Needs PostgreSQL at DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test); its table is dropped afterwards. Progress goes to stderr.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AuditEvent, createAuditEvent } from '../../packages/core/src/audit/audit-event.js'
import type { AuditSink } from '../../packages/core/src/audit/audit-sink.js'
import { bufferedAudit } from '../../packages/core/src/audit/buffered-audit.js'
import { jsonlAudit } from '../../packages/core/src/audit/jsonl-audit.js'
import { postgresAudit } from '../../packages/core/src/audit/postgres-audit.js'
import { verifyAuditLog } from '../../packages/core/src/audit/verify-audit-log.js'

/** The few pg calls the set-up and clean-up make. */
interface BarePool {
  query(text: string): Promise<unknown>
  end(): Promise<void>
  connect(): Promise<{
    query(text: string, values?: unknown[]): Promise<unknown>
    release(error?: boolean): void
  }>
}

// pg is core's (dev) dependency, not the workspace root's: load it from core.
const pg = createRequire(new URL('../../packages/core/package.json', import.meta.url))('pg') as {
  Pool: new (config: { connectionString: string; max: number }) => BarePool
}

const ROUNDS = 3
const BATCHED_EVENTS = 50_000
const ALWAYS_EVENTS = 5_000
const SERIAL_EVENTS = 300
const POSTGRES_EVENTS = 20_000

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

const decision = (index: number): AuditEvent =>
  createAuditEvent({
    kind: 'decision',
    actor: { type: 'service', id: 'svc-lead-scoring' },
    tenant: 'acme',
    system: 'salesforce',
    operation: 'score',
    entity: 'Lead',
    recordIds: [`00Q${String(index).padStart(15, '0')}`],
    model: { name: 'lead-score', version: '2026.11' },
    input: {
      lead: {
        email: 'hmac-sha256:4f2a9c0d6b1e8f3a7c5d2e9b0a1f4c8d3e6b9a2c5f8d1e4b7a0c3f6d9e2b5a8c',
        company: 'Acme Industrial Components GmbH',
        country: 'DE',
        employees: 420,
        source: 'webinar-2026-q4',
        lastActivity: '2026-11-20T09:14:00Z',
      },
    },
    output: { score: 0.82, band: 'A' },
    outcome: 'success',
    latencyMs: 12.4,
    correlationId: `req-${index}`,
    retentionClass: 'sox-7y',
  })

/** Events per second writing `count` events with `inFlight` writers, including the final close. */
async function throughput(sink: AuditSink, count: number, inFlight: number): Promise<number> {
  const events = Array.from({ length: count }, (_, index) => decision(index))
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await sink.write(events[next++] as AuditEvent)
    }),
  )
  await sink.close()
  return count / ((performance.now() - started) / 1_000)
}

async function measureJsonl(dir: string): Promise<Record<string, number>> {
  const batched: number[] = []
  const always: number[] = []
  const serial: number[] = []
  const verify: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const path = join(dir, `batched-${round}.jsonl`)
    batched.push(await throughput(jsonlAudit(path, { fsync: 'interval' }), BATCHED_EVENTS, 64))
    const started = performance.now()
    const result = await verifyAuditLog(path)
    if (!result.ok || result.lines !== BATCHED_EVENTS) throw new Error('the benchmark log does not verify')
    verify.push(result.lines / ((performance.now() - started) / 1_000))
    always.push(
      await throughput(
        jsonlAudit(join(dir, `always-${round}.jsonl`), { fsync: 'always' }),
        ALWAYS_EVENTS,
        64,
      ),
    )
    serial.push(
      await throughput(jsonlAudit(join(dir, `serial-${round}.jsonl`), { fsync: 'always' }), SERIAL_EVENTS, 1),
    )
    process.stderr.write(`jsonl round ${round + 1}/${ROUNDS} done\n`)
  }
  return {
    jsonlAppendsPerSecBatchedFsync: Math.round(median(batched)),
    jsonlAppendsPerSecFsyncAlways64InFlight: Math.round(median(always)),
    jsonlAppendsPerSecFsyncAlwaysSerial: Math.round(median(serial)),
    jsonlVerifyLinesPerSec: Math.round(median(verify)),
  }
}

async function measurePostgres(url: string): Promise<Record<string, number>> {
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  const table = `junction_audit_bench_${randomBytes(4).toString('hex')}`
  try {
    const direct: number[] = []
    const buffered: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      direct.push(await throughput(postgresAudit({ connection: pool, table }), POSTGRES_EVENTS, 256))
      const buffer = bufferedAudit(postgresAudit({ connection: pool, table }), {
        maxEvents: 10_000,
        overflow: 'block',
        batchSize: 1_000,
        flushOnExit: false,
      })
      buffered.push(await throughput(buffer, POSTGRES_EVENTS, 256))
      process.stderr.write(`postgres round ${round + 1}/${ROUNDS} done\n`)
    }
    return {
      postgresEventsPerSecBatched: Math.round(median(direct)),
      postgresEventsPerSecBufferedBatch1000: Math.round(median(buffered)),
    }
  } finally {
    await pool.query(`DROP TABLE IF EXISTS "${table}"`)
    await pool.end()
  }
}

/** The audit figures: events (or verified lines) per second. */
export async function measureAudit(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'junction-audit-bench-'))
  try {
    const jsonl = await measureJsonl(dir)
    const postgres = await measurePostgres(
      process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    )
    return { ...jsonl, ...postgres }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
