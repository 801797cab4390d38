import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { CheckpointStore } from '../checkpoints/checkpoint-store.js'
import { fileCheckpoints } from '../checkpoints/file-checkpoints.js'
import { memoryCheckpoints } from '../checkpoints/store-checkpoints.js'
import type { ChangesOptions, EntityRecord } from '../connector/connector.js'
import { JunctionError } from '../errors/junction-error.js'
import { memoryStore } from '../stores/memory-store.js'
import { fileSink, readFileSink } from '../testing/test-support/file-sink.js'
import { ledgerConnector, readOnlyLedgerConnector } from '../testing/test-support/ledger-connector.js'
import { type LedgerSimulator, ledgerSimulator } from '../testing/test-support/ledger-simulator.js'
import { crashSeed } from '../testing/test-support/sync-crash-seed.js'
import { invalid, type Transformer, valid } from '../transform/transformer.js'
import { keyValueSink } from './key-value-sink.js'
import { sync } from './sync.js'
import type { SyncProgress } from './sync-progress.js'
import type { SinkChange, SyncSink } from './sync-sink.js'

const root = await mkdtemp(join(tmpdir(), 'junction-sync-'))
afterAll(() => rm(root, { recursive: true, force: true }))

const closing: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((item) => item.close()))
})

const invoices = (count: number, from = 1): EntityRecord[] =>
  Array.from({ length: count }, (_, index) => ({
    name: `Invoice ${from + index}`,
    amount: (from + index) * 10,
  }))

function ledger(seed: Record<string, EntityRecord[]> = { Invoice: invoices(12) }) {
  const sim = ledgerSimulator(seed)
  const source = ledgerConnector({ baseUrl: 'https://ledger.test', dispatcher: sim.dispatcher, retry: false })
  closing.push(source, sim)
  return { sim, source }
}

/** A sink that keeps the latest value per key and counts every write of every key; it can be told to fail. */
function countingSink<T>(failOnBatch?: number) {
  const state = new Map<string, T>()
  const writes = new Map<string, number>()
  let batches = 0
  const sink: SyncSink<T> & { state: typeof state; writes: typeof writes } = {
    state,
    writes,
    async write(changes: ReadonlyArray<SinkChange<T>>) {
      batches++
      if (batches === failOnBatch)
        throw new JunctionError({ code: 'SINK_DOWN', message: 'the warehouse is down' })
      for (const change of changes) {
        writes.set(change.key, (writes.get(change.key) ?? 0) + 1)
        if (change.kind === 'delete') state.delete(change.key)
        else state.set(change.key, change.value)
      }
    },
  }
  return sink
}

const allIds = (sim: LedgerSimulator, entity = 'Invoice') =>
  sim.data.rows(entity).map((row) => String(row.id))

describe('sync', () => {
  it('copies every record of a first run into the sink, keyed by source id, and saves the last cursor', async () => {
    const { sim, source } = ledger()
    const sink = countingSink<EntityRecord>()
    const checkpoints = memoryCheckpoints()
    closing.push(checkpoints)
    const result = await sync({
      source,
      entity: 'Invoice',
      sink,
      checkpoints,
      batchSize: 5,
      progressBar: false,
    })
    expect([...sink.state.keys()]).toEqual(allIds(sim))
    expect(sink.state.get('L000003')).toMatchObject({ name: 'Invoice 3', amount: 30 })
    expect(result).toMatchObject({
      read: 12,
      written: 12,
      deleted: 0,
      batches: 3,
      cursor: '12',
      resumedFrom: undefined,
    })
    expect(await checkpoints.load('ledger:Invoice')).toMatchObject({ cursor: '12', records: 12 })
  })

  it('reads only the changes after the checkpoint on the next run', async () => {
    const { sim, source } = ledger()
    const sink = countingSink<EntityRecord>()
    const checkpoints = memoryCheckpoints()
    closing.push(checkpoints)
    await sync({ source, entity: 'Invoice', sink, checkpoints, progressBar: false })
    sim.data.put('Invoice', { id: 'L000002', name: 'Invoice 2 (credited)', amount: -20 })
    sim.data.put('Invoice', { name: 'Invoice 13', amount: 130 })
    const second = await sync({ source, entity: 'Invoice', sink, checkpoints, progressBar: false })
    expect(second).toMatchObject({ read: 2, written: 2, resumedFrom: '12', cursor: '14' })
    expect(sink.writes.get('L000002')).toBe(2)
    expect(sink.writes.get('L000001')).toBe(1)
    expect(sink.state.get('L000002')).toMatchObject({ amount: -20 })
  })

  it('starts a first run at since, and later runs at the checkpoint', async () => {
    const { sim, source } = ledger({ Invoice: [] })
    sim.data.put('Invoice', { name: 'old' }, new Date('2026-01-01T00:00:00.000Z'))
    sim.data.put('Invoice', { name: 'new' }, new Date('2026-06-01T00:00:00.000Z'))
    const sink = countingSink<EntityRecord>()
    const checkpoints = memoryCheckpoints()
    closing.push(checkpoints)
    const since = new Date('2026-03-01T00:00:00.000Z')
    const first = await sync({ source, entity: 'Invoice', sink, checkpoints, since, progressBar: false })
    expect(first).toMatchObject({ read: 1, cursor: '2' })
    expect([...sink.state.values()].map((row) => row.name)).toEqual(['new'])
    sim.data.put('Invoice', { name: 'backdated' }, new Date('2025-01-01T00:00:00.000Z'))
    const second = await sync({ source, entity: 'Invoice', sink, checkpoints, since, progressBar: false })
    expect(second).toMatchObject({ read: 1, resumedFrom: '2', cursor: '3' })
  })

  it('passes deletes to the sink, which removes the key', async () => {
    const { sim, source } = ledger()
    const store = memoryStore()
    closing.push(store)
    const checkpoints = memoryCheckpoints()
    closing.push(checkpoints)
    await sync({ source, entity: 'Invoice', sink: keyValueSink(store), checkpoints, progressBar: false })
    sim.data.remove('Invoice', 'L000004')
    const result = await sync({
      source,
      entity: 'Invoice',
      sink: keyValueSink(store),
      checkpoints,
      progressBar: false,
    })
    expect(result).toMatchObject({ read: 1, written: 0, deleted: 1 })
    expect(await store.get('L000004')).toBeUndefined()
    expect(await store.get('L000005')).toMatchObject({ name: 'Invoice 5' })
  })

  it('writes a key once per batch, with its last change, when it changed several times', async () => {
    const { sim, source } = ledger({ Invoice: [] })
    for (let version = 1; version <= 4; version++)
      sim.data.put('Invoice', { id: 'INV-1', name: `v${version}` })
    const sink = countingSink<EntityRecord>()
    const checkpoints = memoryCheckpoints()
    closing.push(checkpoints)
    const result = await sync({
      source,
      entity: 'Invoice',
      sink,
      checkpoints,
      batchSize: 10,
      progressBar: false,
    })
    expect(result).toMatchObject({ read: 4, written: 1 })
    expect(sink.writes.get('INV-1')).toBe(1)
    expect(sink.state.get('INV-1')).toMatchObject({ name: 'v4' })
  })

  it('reads the record of a change that carries only its id, and skips one deleted since', async () => {
    const { sim, source } = ledger({ Invoice: invoices(3) })
    sim.data.remove('Invoice', 'L000003')
    const idsOnly = {
      ...source,
      async *changes(entity: string, options?: ChangesOptions) {
        for await (const change of source.changes(entity, options)) {
          yield { ...change, kind: 'upsert' as const, record: undefined }
        }
      },
    }
    const sink = countingSink<EntityRecord>()
    const checkpoints = memoryCheckpoints()
    closing.push(checkpoints)
    const result = await sync({ source: idsOnly, entity: 'Invoice', sink, checkpoints, progressBar: false })
    expect(result).toMatchObject({ read: 4, written: 2, cursor: '4' })
    expect(sink.state.get('L000002')).toEqual(sim.data.row('Invoice', 'L000002'))
  })

  it('writes under the key the caller derives, such as an external id', async () => {
    const { source } = ledger({ Invoice: [{ name: 'A', amount: 1, erpNo: 'ERP-9' }] })
    const sink = countingSink<EntityRecord>()
    const checkpoints = memoryCheckpoints()
    closing.push(checkpoints)
    await sync({
      source,
      entity: 'Invoice',
      sink,
      checkpoints,
      key: (change, value) => String(value?.erpNo ?? change.id),
      progressBar: false,
    })
    expect([...sink.state.keys()]).toEqual(['ERP-9'])
  })

  describe('transform', () => {
    const toCents: Transformer<EntityRecord, { title: string; cents: number }> = {
      name: 'invoice-cents',
      transform: (record) =>
        typeof record.amount === 'number' && record.amount >= 0
          ? valid({ title: String(record.name), cents: record.amount * 100 })
          : invalid('invalid_format', 'amount must be a non-negative number'),
    }

    it('writes transformed values, reports refused records and moves past them', async () => {
      const { sim, source } = ledger({
        Invoice: [...invoices(3), { name: 'Refund', amount: -5 }, ...invoices(2, 4)],
      })
      const sink = countingSink<{ title: string; cents: number }>()
      const checkpoints = memoryCheckpoints()
      closing.push(checkpoints)
      const refused: string[] = []
      const progress: SyncProgress[] = []
      const result = await sync({
        source,
        entity: 'Invoice',
        transform: toCents,
        sink,
        checkpoints,
        onInvalid: (record) => refused.push(`${record.sourceId}:${record.issues[0]?.code}`),
        onProgress: (update) => progress.push(update),
        progressBar: false,
      })
      expect(refused).toEqual(['L000004:invalid_format'])
      expect(sink.state.get('L000001')).toEqual({ title: 'Invoice 1', cents: 1000 })
      expect(sink.state.has('L000004')).toBe(false)
      expect(result).toMatchObject({ read: 6, written: 5, invalid: 1, cursor: '6' })
      expect(progress.at(-1)?.quality?.records).toMatchObject({ total: 6, ok: 5, failed: 1 })
      expect(allIds(sim)).toHaveLength(6)
    })

    it("stops before writing the batch when a record is refused and invalid is 'fail'", async () => {
      const { source } = ledger({ Invoice: [...invoices(3), { name: 'Refund', amount: -5 }] })
      const sink = countingSink<{ title: string; cents: number }>()
      const checkpoints = memoryCheckpoints()
      closing.push(checkpoints)
      await expect(
        sync({
          source,
          entity: 'Invoice',
          transform: toCents,
          sink,
          checkpoints,
          invalid: 'fail',
          progressBar: false,
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('L000004') })
      expect(sink.state.size).toBe(0)
      expect(await checkpoints.load('ledger:Invoice')).toBeUndefined()
    })
  })

  describe('resuming after a failure', () => {
    it('resumes after a sink failure with no gap and no key written twice', async () => {
      const { sim, source } = ledger({ Invoice: invoices(23) })
      const checkpoints = memoryCheckpoints()
      closing.push(checkpoints)
      const sink = countingSink<EntityRecord>(3)
      await expect(
        sync({ source, entity: 'Invoice', sink, checkpoints, batchSize: 5, progressBar: false }),
      ).rejects.toMatchObject({ code: 'SINK_DOWN' })
      expect(await checkpoints.load('ledger:Invoice')).toMatchObject({ cursor: '10' })
      const resumed = await sync({
        source,
        entity: 'Invoice',
        sink,
        checkpoints,
        batchSize: 5,
        progressBar: false,
      })
      expect(resumed).toMatchObject({ resumedFrom: '10', read: 13, cursor: '23' })
      expect([...sink.state.keys()].sort()).toEqual(allIds(sim).sort())
      expect(new Set(sink.writes.values())).toEqual(new Set([1]))
    })

    it('wraps an error a sink throws that is not a JunctionError as SINK_FAILED, saving no checkpoint', async () => {
      const { source } = ledger()
      const checkpoints = memoryCheckpoints()
      closing.push(checkpoints)
      const sink: SyncSink<EntityRecord> = {
        write: async () => {
          throw new Error('disk full')
        },
      }
      await expect(
        sync({ source, entity: 'Invoice', sink, checkpoints, progressBar: false }),
      ).rejects.toMatchObject({
        code: 'SINK_FAILED',
        retryable: true,
      })
      expect(await checkpoints.load('ledger:Invoice')).toBeUndefined()
    })

    it('replays only the batch whose checkpoint was lost, rewriting the same keys to the same values', async () => {
      const { sim, source } = ledger({ Invoice: invoices(15) })
      const inner = memoryCheckpoints()
      closing.push(inner)
      let saves = 0
      const flaky: CheckpointStore = {
        ...inner,
        async save(key, checkpoint) {
          if (++saves === 2) throw new JunctionError({ code: 'STORE_FAILED', message: 'redis went away' })
          return inner.save(key, checkpoint)
        },
      }
      const sink = countingSink<EntityRecord>()
      await expect(
        sync({ source, entity: 'Invoice', sink, checkpoints: flaky, batchSize: 5, progressBar: false }),
      ).rejects.toMatchObject({ code: 'STORE_FAILED' })
      await sync({ source, entity: 'Invoice', sink, checkpoints: flaky, batchSize: 5, progressBar: false })
      const twice = [...sink.writes].filter(([, count]) => count === 2).map(([key]) => key)
      expect(twice).toEqual(['L000006', 'L000007', 'L000008', 'L000009', 'L000010'])
      expect(Math.max(...sink.writes.values())).toBe(2)
      expect([...sink.state.keys()].sort()).toEqual(allIds(sim).sort())
      expect(sink.state.get('L000007')).toEqual(sim.data.row('Invoice', 'L000007'))
    })

    it('leaves the batch in progress unwritten and unsaved when aborted, and a resumed run completes it', async () => {
      const { sim, source } = ledger({ Invoice: invoices(20) })
      const checkpoints = memoryCheckpoints()
      closing.push(checkpoints)
      const sink = countingSink<EntityRecord>()
      const controller = new AbortController()
      await expect(
        sync({
          source,
          entity: 'Invoice',
          sink,
          checkpoints,
          batchSize: 4,
          signal: controller.signal,
          onProgress: (progress) => {
            if (progress.batches === 2) controller.abort()
          },
          progressBar: false,
        }),
      ).rejects.toMatchObject({ code: 'ABORTED' })
      expect(await checkpoints.load('ledger:Invoice')).toMatchObject({ cursor: '8' })
      expect(sink.state.size).toBe(8)
      await sync({ source, entity: 'Invoice', sink, checkpoints, batchSize: 4, progressBar: false })
      expect([...sink.state.keys()].sort()).toEqual(allIds(sim).sort())
      expect(new Set(sink.writes.values())).toEqual(new Set([1]))
    })

    it('resumes after the process is killed between a durable write and its checkpoint, with no gap', async () => {
      const directory = await mkdtemp(join(root, 'killed-'))
      const sinkPath = join(directory, 'sink.jsonl')
      const script = fileURLToPath(new URL('../testing/test-support/sync-crash-run.ts', import.meta.url))
      const child = spawn(process.execPath, ['--import', 'tsx', script, directory, sinkPath, '3'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      const exited = new Promise((resolve) => child.once('exit', resolve))
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('durable')) resolve()
        })
        child.once('exit', (code) => reject(new Error(`the sync child exited early (${code})`)))
      })
      child.kill('SIGKILL')
      await exited
      expect(await readFileSink(sinkPath)).toHaveLength(15)

      const sim = ledgerSimulator(crashSeed())
      const source = ledgerConnector({
        baseUrl: 'https://ledger.test',
        dispatcher: sim.dispatcher,
        retry: false,
      })
      closing.push(source, sim)
      const resumed = await sync({
        source,
        entity: 'Invoice',
        checkpoints: fileCheckpoints(directory),
        sink: fileSink(sinkPath),
        batchSize: 5,
        progressBar: false,
      })
      expect(resumed).toMatchObject({ resumedFrom: '10', read: 30, cursor: '40' })
      const lines = await readFileSink(sinkPath)
      const counts = new Map<string, number>()
      for (const line of lines) counts.set(line.key, (counts.get(line.key) ?? 0) + 1)
      expect([...counts.keys()].sort()).toEqual(allIds(sim).sort())
      expect([...counts].filter(([, count]) => count > 1).map(([key]) => key)).toEqual([
        'L000011',
        'L000012',
        'L000013',
        'L000014',
        'L000015',
      ])
      const latest = new Map(lines.map((line) => [line.key, line.value]))
      for (const row of sim.data.rows('Invoice')) expect(latest.get(String(row.id))).toEqual(row)
    })
  })

  it('reports progress after each confirmed batch with counts, rate, lag and cursor', async () => {
    const { source } = ledger()
    const progress: SyncProgress[] = []
    const checkpoints = memoryCheckpoints()
    closing.push(checkpoints)
    await sync({
      source,
      entity: 'Invoice',
      sink: countingSink(),
      checkpoints,
      batchSize: 5,
      onProgress: (update) => progress.push(update),
      progressBar: false,
    })
    expect(progress.map((update) => [update.read, update.written, update.batches, update.cursor])).toEqual([
      [5, 5, 1, '5'],
      [10, 10, 2, '10'],
      [12, 12, 3, '12'],
    ])
    for (const update of progress) {
      expect(update.recordsPerSecond).toBeGreaterThan(0)
      expect(update.lagMs).toBeGreaterThanOrEqual(0)
    }
  })

  it('hands every update to the reporters given, and finishes them once', async () => {
    const { source } = ledger()
    const seen: string[] = []
    const checkpoints = memoryCheckpoints()
    closing.push(checkpoints)
    await sync({
      source,
      entity: 'Invoice',
      sink: countingSink(),
      checkpoints,
      batchSize: 6,
      progressBar: false,
      reporters: [
        {
          update: (progress) => seen.push(`update:${progress.read}`),
          finish: (progress) => seen.push(`finish:${progress?.read}`),
        },
      ],
    })
    expect(seen).toEqual(['update:6', 'update:12', 'finish:12'])
  })

  it('refuses a source without the changes capability with NOT_SUPPORTED', async () => {
    const sim = ledgerSimulator()
    const source = readOnlyLedgerConnector({ baseUrl: 'https://ledger.test', dispatcher: sim.dispatcher })
    closing.push(source, sim)
    const checkpoints = memoryCheckpoints()
    closing.push(checkpoints)
    const noChanges = { ...source, capabilities: new Set(['get', 'query'] as const) }
    await expect(
      sync({ source: noChanges, entity: 'Invoice', sink: countingSink(), checkpoints, progressBar: false }),
    ).rejects.toMatchObject({ code: 'NOT_SUPPORTED' })
  })

  it('rejects bad options with a ConfigError naming the option', async () => {
    const { source } = ledger()
    const checkpoints = memoryCheckpoints()
    closing.push(checkpoints)
    await expect(
      sync({ source, entity: 'Invoice', sink: countingSink(), checkpoints, batchSize: 0 }),
    ).rejects.toMatchObject({ code: 'INVALID_CONFIG', option: 'batchSize' })
  })
})
