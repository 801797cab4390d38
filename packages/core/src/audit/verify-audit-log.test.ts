import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAuditEvent } from './audit-event.js'
import { auditLogFiles } from './audit-log-files.js'
import { GENESIS_HASH } from './hash-chain.js'
import { jsonlAudit } from './jsonl-audit.js'
import { verifyAuditLog } from './verify-audit-log.js'

const event = (operation: string) =>
  createAuditEvent({
    kind: 'operation',
    actor: { type: 'service', id: 'svc-ingest' },
    system: 'salesforce',
    operation,
    recordIds: ['001'],
    outcome: 'success',
  })

const writeLog = async (path: string, count: number, options: Parameters<typeof jsonlAudit>[1] = {}) => {
  const sink = jsonlAudit(path, options)
  for (let index = 1; index <= count; index++) await sink.write(event(`op-${index}`))
  const head = await sink.head()
  await sink.close()
  return head
}

const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '')
const rewrite = (path: string, content: string[]) => writeFile(path, `${content.join('\n')}\n`)

describe('verifyAuditLog', () => {
  let dir: string
  let path: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'junction-verify-'))
    path = join(dir, 'audit.jsonl')
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('accepts an untouched log and counts its lines', async () => {
    const head = await writeLog(path, 5)
    await expect(verifyAuditLog(path)).resolves.toMatchObject({ ok: true, lines: 5, head: head.hash })
  })

  it('names the line whose field was edited as a hash mismatch', async () => {
    await writeLog(path, 5)
    const content = await lines(path)
    content[2] = (content[2] ?? '').replace('"outcome":"success"', '"outcome":"failure"')
    await rewrite(path, content)
    await expect(verifyAuditLog(path)).resolves.toMatchObject({
      ok: false,
      lines: 2,
      failure: { file: path, line: 3, reason: 'hash-mismatch' },
    })
  })

  it('names the line after a deleted line as a chain break', async () => {
    await writeLog(path, 5)
    const content = await lines(path)
    content.splice(1, 1)
    await rewrite(path, content)
    await expect(verifyAuditLog(path)).resolves.toMatchObject({
      ok: false,
      failure: { line: 2, reason: 'chain-break' },
    })
  })

  it('names the first of two swapped lines as a chain break', async () => {
    await writeLog(path, 5)
    const [a, b, c, d, e] = await lines(path)
    await rewrite(path, [a, c, b, d, e] as string[])
    await expect(verifyAuditLog(path)).resolves.toMatchObject({
      ok: false,
      failure: { line: 2, reason: 'chain-break' },
    })
  })

  it('names a line cut short by truncation as bad JSON', async () => {
    await writeLog(path, 5)
    const content = await readFile(path, 'utf8')
    await truncate(path, Buffer.byteLength(content) - 40)
    await expect(verifyAuditLog(path)).resolves.toMatchObject({
      ok: false,
      lines: 4,
      failure: { line: 5, reason: 'bad-json' },
    })
  })

  it('catches whole lines cut from the end when given the head recorded at write time', async () => {
    const head = await writeLog(path, 5)
    await rewrite(path, (await lines(path)).slice(0, 3))
    await expect(verifyAuditLog(path)).resolves.toMatchObject({ ok: true, lines: 3 })
    await expect(verifyAuditLog(path, { head: head.hash })).resolves.toMatchObject({
      ok: false,
      failure: { line: 4, reason: 'truncated' },
    })
  })

  it('rejects a first line that does not start from the genesis hash', async () => {
    await writeLog(path, 3)
    await rewrite(path, (await lines(path)).slice(1))
    await expect(verifyAuditLog(path)).resolves.toMatchObject({
      ok: false,
      failure: { line: 1, reason: 'chain-break' },
    })
    await expect(verifyAuditLog([path], { anchor: null })).resolves.toMatchObject({ ok: true, lines: 2 })
  })

  it('reports a line that is valid JSON but not an audit event as a schema failure', async () => {
    await writeLog(path, 2)
    const content = await lines(path)
    const first = JSON.parse(content[0] ?? '') as Record<string, unknown>
    content[0] = JSON.stringify({ ...first, actor: undefined })
    await rewrite(path, content)
    await expect(verifyAuditLog(path)).resolves.toMatchObject({
      ok: false,
      failure: { line: 1, reason: 'schema', message: expect.stringContaining('actor') },
    })
  })

  it('walks the chain across rotated files', async () => {
    await writeLog(path, 12, { rotate: { maxBytes: 1_000 } })
    const files = await auditLogFiles(path)
    expect(files.length).toBeGreaterThan(2)
    await expect(verifyAuditLog(path)).resolves.toMatchObject({ ok: true, lines: 12, files })
  })

  it('names the file and line when a rotated file was tampered with', async () => {
    await writeLog(path, 12, { rotate: { maxBytes: 1_000 } })
    const [, second] = await auditLogFiles(path)
    const content = await lines(second ?? '')
    await rewrite(second ?? '', content.slice(0, -1))
    await expect(verifyAuditLog(path)).resolves.toMatchObject({
      ok: false,
      failure: { file: (await auditLogFiles(path))[2], line: 1, reason: 'chain-break' },
    })
  })

  it('fails a keyed log checked without its key, and passes it with the key', async () => {
    const key = 'k'.repeat(32)
    await writeLog(path, 3, { key })
    await expect(verifyAuditLog(path)).resolves.toMatchObject({
      ok: false,
      failure: { reason: 'hash-mismatch' },
    })
    await expect(verifyAuditLog(path, { key })).resolves.toMatchObject({ ok: true, lines: 3 })
  })

  it('reports a log that does not exist as missing', async () => {
    await expect(verifyAuditLog(path)).resolves.toMatchObject({ ok: false, failure: { reason: 'missing' } })
  })

  it('accepts an empty list of files as an empty chain', async () => {
    await expect(verifyAuditLog([])).resolves.toMatchObject({ ok: true, lines: 0, head: GENESIS_HASH })
  })
})
