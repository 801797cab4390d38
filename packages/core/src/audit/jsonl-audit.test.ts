import { type FileHandle, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ValidationError } from '../errors/error-kinds.js'
import { JunctionError } from '../errors/junction-error.js'
import { type AuditEvent, auditEventSchema, createAuditEvent } from './audit-event.js'
import { auditLogFiles } from './audit-log-files.js'
import { GENESIS_HASH } from './hash-chain.js'
import { jsonlAudit } from './jsonl-audit.js'
import { verifyAuditLog } from './verify-audit-log.js'

const event = (operation = 'query', extra: Partial<AuditEvent> = {}): AuditEvent =>
  createAuditEvent({
    kind: 'operation',
    actor: { type: 'service', id: 'svc-ingest' },
    system: 'salesforce',
    operation,
    outcome: 'success',
    ...extra,
  })

// Spies on the real fsync (it still runs) to see when the sink asks for one.
const spyOnFsync = async (dir: string) => {
  const probe = await open(join(dir, 'probe'), 'w')
  const prototype = Object.getPrototypeOf(probe) as FileHandle
  await probe.close()
  return vi.spyOn(prototype, 'sync')
}

const readLines = async (path: string): Promise<string[]> =>
  (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '')

describe('jsonlAudit', () => {
  let dir: string
  let path: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'junction-audit-'))
    path = join(dir, 'audit.jsonl')
  })

  afterEach(async () => {
    vi.restoreAllMocks()
    await rm(dir, { recursive: true, force: true })
  })

  it('appends one line per event that parses and validates against the audit schema', async () => {
    const sink = jsonlAudit(path)
    const written = [event('query'), event('upsert', { recordIds: ['001'], latencyMs: 12.5 })]
    for (const item of written) await sink.write(item)
    await sink.close()
    const parsed = (await readLines(path)).map((line) => auditEventSchema.parse(JSON.parse(line)))
    expect(parsed).toEqual(written)
  })

  it('keeps lines in call order under 200 concurrent writes', async () => {
    const sink = jsonlAudit(path)
    const events = Array.from({ length: 200 }, (_, index) => event(`op-${index}`))
    await Promise.all(events.map((item) => sink.write(item)))
    await sink.close()
    const operations = (await readLines(path)).map((line) => (JSON.parse(line) as AuditEvent).operation)
    expect(operations).toEqual(events.map((item) => item.operation))
  })

  it('writes Dates as ISO strings', async () => {
    const sink = jsonlAudit(path)
    const at = new Date('2026-11-24T10:00:00.000Z')
    await sink.write(
      event('score', {
        kind: 'decision',
        time: at,
        approval: { decision: 'approved', by: 'ann@example.com', at },
      }),
    )
    await sink.close()
    const [line] = await readLines(path)
    expect(JSON.parse(line ?? '')).toMatchObject({
      time: at.toISOString(),
      approval: { at: at.toISOString() },
    })
  })

  it('has every accepted line in the file once flush resolves', async () => {
    const sink = jsonlAudit(path)
    const writes = Array.from({ length: 50 }, (_, index) => sink.write(event(`op-${index}`)))
    await sink.flush()
    expect(await readLines(path)).toHaveLength(50)
    await Promise.all(writes)
    await sink.close()
  })

  it('fsyncs on flush, not on each write, by default', async () => {
    const fsync = await spyOnFsync(dir)
    const sink = jsonlAudit(path)
    await sink.write(event('first'))
    await sink.write(event('second'))
    expect(fsync).not.toHaveBeenCalled()
    await sink.flush()
    expect(fsync).toHaveBeenCalledTimes(1)
    await sink.close()
  })

  it('fsyncs before a write resolves under fsync always', async () => {
    const fsync = await spyOnFsync(dir)
    const sink = jsonlAudit(path, { fsync: 'always' })
    await sink.write(event())
    expect(fsync).toHaveBeenCalledTimes(1)
    await sink.close()
  })

  it('writes everything accepted before close', async () => {
    const sink = jsonlAudit(path, { fsync: 'always' })
    const writes = Array.from({ length: 20 }, (_, index) => sink.write(event(`op-${index}`)))
    await sink.close()
    await Promise.all(writes)
    expect(await readLines(path)).toHaveLength(20)
  })

  it('creates missing directories', async () => {
    const nested = join(dir, 'a', 'b', 'audit.jsonl')
    const sink = jsonlAudit(nested)
    await sink.write(event())
    await sink.close()
    expect(await readLines(nested)).toHaveLength(1)
  })

  it('appends to an existing file instead of truncating it', async () => {
    const first = jsonlAudit(path)
    await first.write(event('first'))
    await first.close()
    const second = jsonlAudit(path)
    await second.write(event('second'))
    await second.close()
    const operations = (await readLines(path)).map((line) => (JSON.parse(line) as AuditEvent).operation)
    expect(operations).toEqual(['first', 'second'])
  })

  it('starts on a new line when the file ends in a half-written line', async () => {
    await writeFile(path, '{"id":"torn')
    const sink = jsonlAudit(path)
    await sink.write(event('after-crash'))
    await sink.close()
    const lines = await readLines(path)
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ operation: 'after-crash' })
  })

  it('records the event as it was when written, not as later mutated', async () => {
    const sink = jsonlAudit(path)
    const item = event('query', { recordIds: ['001'] })
    const written = sink.write(item)
    item.recordIds?.push('002')
    await written
    await sink.close()
    const [line] = await readLines(path)
    expect(JSON.parse(line ?? '')).toMatchObject({ recordIds: ['001'] })
  })

  it('writes only the fields of the audit schema', async () => {
    const sink = jsonlAudit(path)
    await sink.write({ ...event(), password: 'hunter2' } as AuditEvent)
    await sink.close()
    expect(await readFile(path, 'utf8')).not.toContain('hunter2')
  })

  it('rejects an object that is not a valid audit event with a ValidationError, writing nothing', async () => {
    const sink = jsonlAudit(path)
    const invalid = { id: 'x', time: new Date(), kind: 'operation', operation: 'query', outcome: 'done' }
    await expect(sink.write(invalid as unknown as AuditEvent)).rejects.toBeInstanceOf(ValidationError)
    await expect(sink.write(invalid as unknown as AuditEvent)).rejects.toThrow(/actor/)
    await sink.close()
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('rejects an event whose input cannot be written as JSON with a ValidationError', async () => {
    const sink = jsonlAudit(path)
    await expect(sink.write(event('query', { input: { amount: 1n } }))).rejects.toBeInstanceOf(
      ValidationError,
    )
    await sink.close()
  })

  it('rejects a write after close with an AUDIT_CLOSED error', async () => {
    const sink = jsonlAudit(path)
    await sink.close()
    const failure = sink.write(event())
    await expect(failure).rejects.toBeInstanceOf(JunctionError)
    await expect(failure).rejects.toMatchObject({ code: 'AUDIT_CLOSED' })
  })

  it('rejects a write it cannot make with an AUDIT_WRITE_FAILED error', async () => {
    await writeFile(join(dir, 'file'), '')
    const sink = jsonlAudit(join(dir, 'file', 'audit.jsonl'))
    await expect(sink.write(event())).rejects.toMatchObject({ code: 'AUDIT_WRITE_FAILED' })
    await sink.close()
  })

  it('creates no file when closed without writes', async () => {
    const sink = jsonlAudit(path)
    await sink.flush()
    await sink.close()
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('rejects an unknown fsync policy with a ConfigError naming the option', () => {
    expect(() => jsonlAudit(path, { fsync: 'sometimes' as 'always' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: 'fsync' }),
    )
  })

  it('chains each line to the one before, starting from the genesis hash', async () => {
    const sink = jsonlAudit(path)
    for (const name of ['a', 'b', 'c']) await sink.write(event(name))
    await sink.close()
    const chain = (await readLines(path)).map(
      (line) => JSON.parse(line) as { seq: number; prev: string; hash: string },
    )
    expect(chain.map((line) => line.seq)).toEqual([1, 2, 3])
    expect(chain[0]?.prev).toBe(GENESIS_HASH)
    expect(chain[1]?.prev).toBe(chain[0]?.hash)
    expect(chain[2]?.prev).toBe(chain[1]?.hash)
  })

  it('continues the chain from the last line when a log is reopened', async () => {
    const first = jsonlAudit(path)
    await first.write(event('first'))
    await first.close()
    const second = jsonlAudit(path)
    await second.write(event('second'))
    await second.close()
    await expect(verifyAuditLog(path)).resolves.toMatchObject({ ok: true, lines: 2 })
  })

  it('chains new lines from the last good line after a torn one, and verify names the torn line', async () => {
    const first = jsonlAudit(path)
    await first.write(event('first'))
    await first.close()
    await writeFile(path, `${await readFile(path, 'utf8')}{"id":"torn`)
    const second = jsonlAudit(path)
    await second.write(event('after-crash'))
    await second.close()
    const lines = await readLines(path)
    expect((JSON.parse(lines[2] ?? '') as { prev: string }).prev).toBe(
      (JSON.parse(lines[0] ?? '') as { hash: string }).hash,
    )
    await expect(verifyAuditLog(path)).resolves.toMatchObject({
      ok: false,
      failure: { line: 2, reason: 'bad-json' },
    })
  })

  it('rotates by size, starting each file from the last hash of the one before', async () => {
    const sink = jsonlAudit(path, { rotate: { maxBytes: 1_000 } })
    for (let index = 0; index < 12; index++) await sink.write(event(`op-${index}`))
    await sink.close()
    const files = await auditLogFiles(path)
    expect(files.length).toBeGreaterThan(2)
    expect(files.at(-1)).toBe(path)
    const [firstFile, secondFile] = files
    const lastOfFirst = JSON.parse((await readLines(firstFile ?? '')).at(-1) ?? '') as { hash: string }
    const firstOfSecond = JSON.parse((await readLines(secondFile ?? '')).at(0) ?? '') as { prev: string }
    expect(firstOfSecond.prev).toBe(lastOfFirst.hash)
    await expect(verifyAuditLog(path)).resolves.toMatchObject({ ok: true, lines: 12 })
  })

  it('continues the chain from the newest rotated file when the active file is gone', async () => {
    const first = jsonlAudit(path, { rotate: { maxBytes: 1_000 } })
    for (let index = 0; index < 6; index++) await first.write(event(`op-${index}`))
    await first.close()
    const kept = (await readLines(path)).length
    await rm(path)
    const second = jsonlAudit(path, { rotate: { maxBytes: 1_000 } })
    await second.write(event('after'))
    await second.close()
    await expect(verifyAuditLog(path)).resolves.toMatchObject({ ok: true, lines: 6 - kept + 1 })
  })

  it('rotates on the first write of a new UTC day', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(new Date('2026-11-24T23:59:00Z'))
      const sink = jsonlAudit(path, { rotate: { daily: true } })
      await sink.write(event('monday'))
      await sink.write(event('monday-late'))
      vi.setSystemTime(new Date('2026-11-25T00:01:00Z'))
      await sink.write(event('tuesday'))
      await sink.close()
    } finally {
      vi.useRealTimers()
    }
    const files = await auditLogFiles(path)
    expect(files).toEqual([join(dir, 'audit.2026-11-24.000000000002.jsonl'), path])
    expect(await readLines(path)).toHaveLength(1)
    await expect(verifyAuditLog(path)).resolves.toMatchObject({ ok: true, lines: 3 })
  })

  it('fsyncs on a timer under fsync interval, not on each write', async () => {
    const fsync = await spyOnFsync(dir)
    const sink = jsonlAudit(path, { fsync: 'interval', fsyncIntervalMs: 20 })
    await sink.write(event('first'))
    await sink.write(event('second'))
    expect(fsync).not.toHaveBeenCalled()
    await vi.waitFor(() => expect(fsync).toHaveBeenCalledTimes(1))
    await sink.close()
  })

  it('reports the head it has reached, for anchoring the log elsewhere', async () => {
    const sink = jsonlAudit(path)
    expect(await sink.head()).toEqual({ seq: 0, hash: GENESIS_HASH })
    await sink.write(event())
    const head = await sink.head()
    await sink.close()
    expect(head.seq).toBe(1)
    await expect(verifyAuditLog(path, { head: head.hash })).resolves.toMatchObject({ ok: true })
  })

  it('makes the chain an HMAC under a key', async () => {
    const sink = jsonlAudit(path, { key: 'deployment-chain-key-0123456789' })
    await sink.write(event())
    await sink.close()
    await expect(verifyAuditLog(path)).resolves.toMatchObject({
      ok: false,
      failure: { reason: 'hash-mismatch' },
    })
    await expect(verifyAuditLog(path, { key: 'deployment-chain-key-0123456789' })).resolves.toMatchObject({
      ok: true,
    })
  })
})
