import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { requireService } from '../testing/require-service.js'
import { type AuditEvent, createAuditEvent, parseAuditEvent } from './audit-event.js'
import { postgresAudit } from './postgres-audit.js'

const service = await requireService('postgres')

const event = (operation: string, extra: Partial<AuditEvent> = {}): AuditEvent =>
  createAuditEvent({
    kind: 'operation',
    actor: { type: 'service', id: 'svc-ingest' },
    tenant: 'acme',
    system: 'salesforce',
    operation,
    outcome: 'success',
    ...extra,
  })

describe.skipIf(service.skip)('postgresAudit', () => {
  const pool = new pg.Pool({ connectionString: service.url, max: 4 })
  const prefix = `junction_audit_test_${process.pid}_${randomBytes(3).toString('hex')}`
  const tables: string[] = []
  let table: string

  beforeEach(() => {
    table = `${prefix}_${tables.length}`
    tables.push(table)
  })

  beforeAll(async () => {
    await pool.query('SELECT 1')
  })

  afterAll(async () => {
    for (const name of tables) await pool.query(`DROP TABLE IF EXISTS "${name}"`)
    await pool.end()
  })

  const rows = async () =>
    (
      await pool.query<{ event: unknown; operation: string }>(
        `SELECT event, operation FROM "${table}" ORDER BY seq`,
      )
    ).rows

  it('creates the table and stores each event, which reads back as the same audit event', async () => {
    const sink = postgresAudit({ connection: service.url, table })
    const written = event('score', {
      kind: 'decision',
      model: { name: 'lead-score', version: '2026.11' },
      input: { lead: { id: '00Q1', email: 'hmac-sha256:ab' } },
      output: { score: 0.82 },
      approval: { decision: 'approved', by: 'ann@example.com', at: new Date('2026-11-24T10:00:00Z') },
      retentionClass: 'sox-7y',
    })
    await sink.write(written)
    await sink.close()
    const [stored] = await rows()
    expect(parseAuditEvent(stored?.event)).toEqual(written)
    const columns = await pool.query(
      `SELECT model_name, model_version, tenant, retention_class FROM "${table}"`,
    )
    expect(columns.rows[0]).toEqual({
      model_name: 'lead-score',
      model_version: '2026.11',
      tenant: 'acme',
      retention_class: 'sox-7y',
    })
  })

  it('batches concurrent writes into few transactions and keeps call order', async () => {
    const sink = postgresAudit({ connection: pool, table })
    const events = Array.from({ length: 500 }, (_, index) => event(`op-${index}`))
    await Promise.all(events.map((item) => sink.write(item)))
    await sink.close()
    expect((await rows()).map((stored) => stored.operation)).toEqual(events.map((item) => item.operation))
    // Rows inserted by one transaction share its id (xmin).
    const transactions = await pool.query<{ count: string }>(
      `SELECT count(DISTINCT xmin::text) FROM "${table}"`,
    )
    expect(Number(transactions.rows[0]?.count)).toBeLessThan(50)
  })

  it('refuses UPDATE, DELETE and TRUNCATE on the table, even for its owner', async () => {
    const sink = postgresAudit({ connection: pool, table })
    await sink.write(event('query'))
    await sink.close()
    await expect(pool.query(`UPDATE "${table}" SET outcome = 'failure'`)).rejects.toThrow(/append-only/)
    await expect(pool.query(`DELETE FROM "${table}"`)).rejects.toThrow(/append-only/)
    await expect(pool.query(`TRUNCATE "${table}"`)).rejects.toThrow(/append-only/)
    expect(await rows()).toHaveLength(1)
  })

  it('stores an event sent twice once, so a replay does not duplicate it', async () => {
    const sink = postgresAudit({ connection: pool, table })
    const item = event('query')
    await sink.write(item)
    await sink.write(item)
    await sink.close()
    expect(await rows()).toHaveLength(1)
  })

  it('appends to an existing table from a second sink', async () => {
    const first = postgresAudit({ connection: pool, table })
    await first.write(event('first'))
    await first.close()
    const second = postgresAudit({ connection: pool, table })
    await second.write(event('second'))
    await second.close()
    expect((await rows()).map((stored) => stored.operation)).toEqual(['first', 'second'])
  })

  it('leaves a pool it was given open on close', async () => {
    const sink = postgresAudit({ connection: pool, table })
    await sink.write(event('query'))
    await sink.close()
    await expect(pool.query('SELECT 1')).resolves.toBeDefined()
  })

  it('stores text with a NUL character instead of failing the batch', async () => {
    const sink = postgresAudit({ connection: pool, table })
    await sink.write(event('query', { input: { note: 'a\u0000b' } }))
    await sink.close()
    expect((await rows())[0]?.event).toMatchObject({ input: { note: 'a\ufffdb' } })
  })

  it('rejects writes with AUDIT_WRITE_FAILED when the database is unreachable', async () => {
    const sink = postgresAudit({ connection: 'postgres://postgres@127.0.0.1:1/test', table })
    await expect(sink.write(event('query'))).rejects.toMatchObject({
      code: 'AUDIT_WRITE_FAILED',
      retryable: true,
    })
    await sink.close()
  })

  it('rejects an invalid event with a ValidationError before touching the database', async () => {
    const sink = postgresAudit({ connection: pool, table })
    await expect(sink.write({ operation: 'query' } as unknown as AuditEvent)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    await sink.close()
  })

  it('rejects a write after close with AUDIT_CLOSED', async () => {
    const sink = postgresAudit({ connection: pool, table })
    await sink.close()
    await expect(sink.write(event('query'))).rejects.toMatchObject({ code: 'AUDIT_CLOSED' })
  })

  it('rejects a table name that is not a plain identifier with a ConfigError', () => {
    expect(() => postgresAudit({ connection: pool, table: 'audit"; DROP TABLE x; --' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: 'table' }),
    )
  })
})
