import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JunctionError } from '../errors/junction-error.js'
import { type AuditEvent, createAuditEvent } from './audit-event.js'
import type { AuditSink } from './audit-sink.js'
import { bufferedAudit } from './buffered-audit.js'
import { jsonlAudit } from './jsonl-audit.js'
import { memoryAudit } from './memory-audit.js'
import { verifyAuditLog } from './verify-audit-log.js'

const event = (operation: string): AuditEvent =>
  createAuditEvent({
    kind: 'operation',
    actor: { type: 'service', id: 'svc' },
    operation,
    outcome: 'success',
  })

const operations = (events: readonly AuditEvent[]) => events.map((item) => item.operation)
const names = (count: number, from = 0) => Array.from({ length: count }, (_, index) => `op-${from + index}`)
const tick = () => new Promise((resolve) => setImmediate(resolve))

// A real memory sink behind a gate: writes wait until the test opens it, like a sink that has stalled.
const gatedSink = () => {
  const inner = memoryAudit()
  let open: () => void = () => undefined
  const gate = new Promise<void>((resolve) => {
    open = resolve
  })
  let flushes = 0
  const sink: AuditSink & { events: readonly AuditEvent[]; flushes: () => number } = {
    events: inner.events,
    flushes: () => flushes,
    write: async (item) => {
      await gate
      await inner.write(item)
    },
    flush: async () => {
      flushes++
    },
    close: async () => undefined,
  }
  return { sink, open }
}

describe('bufferedAudit', () => {
  let dir: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'junction-buffer-'))
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('accepts writes while the sink is stalled and delivers them in order once it recovers', async () => {
    const { sink, open } = gatedSink()
    const buffer = bufferedAudit(sink, { maxEvents: 100, overflow: 'block', flushOnExit: false })
    await Promise.all(names(20).map((name) => buffer.write(event(name))))
    expect(sink.events).toHaveLength(0)
    expect(buffer.pending).toBe(20)
    open()
    await buffer.close()
    expect(operations(sink.events)).toEqual(names(20))
  })

  it('makes a write wait for room when the buffer is full under block', async () => {
    const { sink, open } = gatedSink()
    const buffer = bufferedAudit(sink, { maxEvents: 2, overflow: 'block', batchSize: 1, flushOnExit: false })
    await buffer.write(event('op-0'))
    await buffer.write(event('op-1'))
    let third = false
    const written = buffer.write(event('op-2')).then(() => {
      third = true
    })
    await tick()
    expect(third).toBe(false)
    open()
    await written
    await buffer.close()
    expect(operations(sink.events)).toEqual(names(3))
  })

  it('spills what memory cannot hold to disk and replays it into the sink in order', async () => {
    const { sink, open } = gatedSink()
    const buffer = bufferedAudit(sink, { maxEvents: 3, overflow: 'spill', spillDir: dir, flushOnExit: false })
    await Promise.all(names(50).map((name) => buffer.write(event(name))))
    const spilled = (await readdir(dir)).filter((name) => name.endsWith('.jsonl'))
    expect(spilled).toHaveLength(1)
    expect((await readFile(join(dir, spilled[0] ?? ''), 'utf8')).split('\n').filter(Boolean)).toHaveLength(47)
    open()
    await buffer.flush()
    expect(operations(sink.events)).toEqual(names(50))
    expect(await readdir(dir)).toEqual([])
    await buffer.close()
  })

  it('keeps order when writes go on arriving while the spill file is replayed', async () => {
    const { sink, open } = gatedSink()
    const buffer = bufferedAudit(sink, {
      maxEvents: 2,
      overflow: 'spill',
      spillDir: dir,
      batchSize: 5,
      flushOnExit: false,
    })
    const first = names(30).map((name) => buffer.write(event(name)))
    open()
    const second = names(30, 30).map((name) => buffer.write(event(name)))
    await Promise.all([...first, ...second])
    await buffer.close()
    expect(operations(sink.events)).toEqual(names(60))
  })

  it('retries a failing sink until it takes every event, reporting each failure', async () => {
    const inner = memoryAudit()
    let failures = 3
    const flaky: AuditSink = {
      write: async (item) => {
        if (failures > 0) {
          failures--
          throw new JunctionError({
            code: 'AUDIT_WRITE_FAILED',
            message: 'database restarting',
            retryable: true,
          })
        }
        await inner.write(item)
      },
      flush: async () => undefined,
      close: async () => undefined,
    }
    const errors: string[] = []
    const buffer = bufferedAudit(flaky, {
      maxEvents: 10,
      overflow: 'block',
      batchSize: 1,
      retryDelayMs: 1,
      flushOnExit: false,
      onError: (error) => errors.push(error.code),
    })
    for (const name of names(5)) await buffer.write(event(name))
    await buffer.close()
    expect(operations(inner.events)).toEqual(names(5))
    expect(errors).toEqual(['AUDIT_WRITE_FAILED', 'AUDIT_WRITE_FAILED', 'AUDIT_WRITE_FAILED'])
  })

  it('delivers through a real JSONL sink with an intact hash chain', async () => {
    const path = join(dir, 'log', 'audit.jsonl')
    const buffer = bufferedAudit(jsonlAudit(path), {
      maxEvents: 5,
      overflow: 'spill',
      spillDir: join(dir, 'spill'),
      flushOnExit: false,
    })
    await Promise.all(names(200).map((name) => buffer.write(event(name))))
    await buffer.close()
    await expect(verifyAuditLog(path)).resolves.toMatchObject({ ok: true, lines: 200 })
  })

  it('flushes the buffer and the sink when the event loop empties (beforeExit)', async () => {
    const { sink, open } = gatedSink()
    const before = process.listenerCount('beforeExit')
    const buffer = bufferedAudit(sink, { maxEvents: 10, overflow: 'block' })
    await buffer.write(event('op-0'))
    open()
    process.emit('beforeExit', 0)
    await expect.poll(() => sink.flushes()).toBe(1)
    expect(operations(sink.events)).toEqual(['op-0'])
    await buffer.close()
    expect(process.listenerCount('beforeExit')).toBe(before)
  })

  it('replays a spill file left by a process killed with SIGKILL', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./buffered-audit.fixture.ts', import.meta.url)), dir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => {
        if (data.toString().includes('spilled')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`fixture exited early with ${code}`)))
    })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
    const sink = memoryAudit()
    const buffer = bufferedAudit(sink, {
      maxEvents: 10,
      overflow: 'spill',
      spillDir: dir,
      flushOnExit: false,
    })
    await buffer.close()
    // op-0 was in the killed process's memory; op-1 onwards had spilled to disk.
    expect(operations(sink.events)).toEqual(names(9, 1))
    expect(await readdir(dir)).toEqual([])
  })

  it('skips a spilled line cut short by a crash, reporting it, and delivers the rest', async () => {
    await writeFile(
      join(dir, 'audit-spill-000000000000001-000000.jsonl'),
      `${JSON.stringify(event('op-0'))}\n${JSON.stringify(event('op-1')).slice(0, 30)}`,
    )
    const sink = memoryAudit()
    const errors: string[] = []
    const buffer = bufferedAudit(sink, {
      maxEvents: 10,
      overflow: 'spill',
      spillDir: dir,
      flushOnExit: false,
      onError: (error) => errors.push(error.code),
    })
    await buffer.write(event('op-2'))
    await buffer.close()
    expect(operations(sink.events)).toEqual(['op-0', 'op-2'])
    expect(errors).toEqual(['VALIDATION_FAILED'])
  })

  it('rejects an invalid event at the call site with a ValidationError', async () => {
    const buffer = bufferedAudit(memoryAudit(), { maxEvents: 10, overflow: 'block', flushOnExit: false })
    await expect(buffer.write({ operation: 'x' } as unknown as AuditEvent)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    await buffer.close()
  })

  it('rejects a write after close with AUDIT_CLOSED', async () => {
    const buffer = bufferedAudit(memoryAudit(), { maxEvents: 10, overflow: 'block', flushOnExit: false })
    await buffer.close()
    await expect(buffer.write(event('late'))).rejects.toMatchObject({ code: 'AUDIT_CLOSED' })
  })

  it('requires a spill directory for the spill policy, naming the option', () => {
    expect(() => bufferedAudit(memoryAudit(), { maxEvents: 10, overflow: 'spill' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', option: 'spillDir' }),
    )
  })
})
