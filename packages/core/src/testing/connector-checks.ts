import { expect } from 'vitest'
import type {
  BatchOperation,
  Capability,
  Change,
  ChangesOptions,
  Connector,
  EntityRecord,
  Query,
  RecordId,
  WriteResult,
} from '../connector/connector.js'
import { CAPABILITIES } from '../connector/connector.js'

/** A connector under test over a fresh, seeded system. */
export interface ConnectorFixture {
  connector: Connector
  /** Releases what `setup` started besides the connector (a simulator, a server). */
  close?(): Promise<void>
}

/**
 * What the compliance suite needs to know about a connector and the data its system was seeded with.
 * `F` is your fixture type: whatever `setup` returns (e.g. with the simulator) is what `makeChange` gets.
 */
export interface ConnectorContractOptions<F extends ConnectorFixture = ConnectorFixture> {
  /** A fresh connector over a freshly seeded system, for each test. */
  setup(): F | Promise<F>
  /** The capabilities the connector must declare: each is checked, and every other must throw `NOT_SUPPORTED`. */
  capabilities: readonly Capability[]
  /** The entity the checks read and write. */
  entity: string
  /** The field holding a record's key in what the connector reads (e.g. `Id`, `sys_id`). */
  idField: string
  /** The key of a record the system holds at setup. */
  existingId: RecordId
  /** A key no record has. */
  missingId: RecordId
  /** A query matching at least three seeded records (default: the whole entity). */
  query?: Query
  /** A valid new record, distinct for each `n` (and carrying `externalId` when upsert is declared). */
  newRecord?(n: number): EntityRecord
  /** A record the system refuses (needed for create and upsert). */
  invalidRecord?: EntityRecord
  /** Values that change an existing record (needed for update). */
  updateValues?: EntityRecord
  /** The external-id field upserts match on (needed for upsert). */
  externalId?: string
  /** Makes one change happen in the system for the changes checks (default: `connector.create` of `newRecord(n)`). */
  makeChange?(fixture: F, n: number): Promise<void>
  /** Where the first read of the changes checks starts (default: the connector's own beginning). */
  changesFrom?: ChangesOptions
}

/** One compliance check: a name that reads as a sentence, and the capability it concerns. */
export interface ConnectorCheck {
  capability: Capability | 'any'
  name: string
  run(fixture: ConnectorFixture, options: ConnectorContractOptions): Promise<void>
}

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`connectorContract: give \`${what}\` to check this capability`)
  return value
}

/** Errors must be JunctionErrors with a code; compared by shape, as the connector may use another copy of core. */
const expectJunctionError = (error: unknown, code?: string) => {
  expect(error, 'a thrown value that is not an Error').toBeInstanceOf(Error)
  expect(typeof (error as { code?: unknown }).code, `not a JunctionError with a code: ${String(error)}`).toBe(
    'string',
  )
  if (code !== undefined) expect((error as { code: string }).code).toBe(code)
}

const failureOf = async (call: () => unknown): Promise<unknown> => {
  try {
    const value = call()
    if (value !== null && typeof value === 'object' && Symbol.asyncIterator in value) {
      for await (const _ of value as AsyncIterable<unknown>) break
    } else {
      await value
    }
  } catch (error) {
    return error
  }
  return undefined
}

const collect = async <T>(items: AsyncIterable<T>, max = 10_000): Promise<T[]> => {
  const out: T[] = []
  for await (const item of items) {
    out.push(item)
    if (out.length >= max) break
  }
  return out
}

const expectResults = (results: WriteResult[], count: number) => {
  expect(Array.isArray(results)).toBe(true)
  expect(results.map((result) => result.index)).toEqual(Array.from({ length: count }, (_, index) => index))
  for (const result of results) {
    expect(typeof result.ok).toBe('boolean')
    if (!result.ok) expectJunctionError(result.error)
  }
}

const keyOf = (id: RecordId): string => (typeof id === 'string' ? id : JSON.stringify(id))
const idIn = (record: EntityRecord | undefined, options: ConnectorContractOptions) =>
  record === undefined ? undefined : String(record[options.idField])

const calls: Record<Capability, (connector: Connector, options: ConnectorContractOptions) => unknown> = {
  get: (c, o) => c.get(o.entity, o.existingId),
  query: (c, o) => c.query(o.entity, {}),
  create: (c, o) => c.create(o.entity, [{}]),
  update: (c, o) => c.update(o.entity, [{ id: o.existingId, values: {} }]),
  upsert: (c, o) => c.upsert(o.entity, [{}], { externalId: 'x' }),
  delete: (c, o) => c.delete(o.entity, [o.missingId]),
  batch: (c, o) => c.batch([{ op: 'get', entity: o.entity, id: o.existingId }]),
  changes: (c, o) => c.changes(o.entity, {}),
}

const makeChange = async (fixture: ConnectorFixture, options: ConnectorContractOptions, n: number) => {
  if (options.makeChange) return options.makeChange(fixture, n)
  if (!fixture.connector.capabilities.has('create')) {
    throw new Error('connectorContract: give `makeChange` to check changes on a connector that cannot create')
  }
  const [result] = await fixture.connector.create(options.entity, [need(options.newRecord, 'newRecord')(n)])
  expect(result?.ok, 'makeChange: create failed').toBe(true)
}

const readChanges = (fixture: ConnectorFixture, options: ConnectorContractOptions, from: ChangesOptions) =>
  collect<Change>(fixture.connector.changes(options.entity, from))

/** Every check of the compliance suite, in the order the suite registers them. */
export const connectorChecks: readonly ConnectorCheck[] = [
  {
    capability: 'any',
    name: 'declares exactly the capabilities it implements',
    async run({ connector }, options) {
      expect(typeof connector.system).toBe('string')
      expect(connector.system).not.toBe('')
      expect(typeof connector.name).toBe('string')
      expect([...connector.capabilities].sort()).toEqual([...options.capabilities].sort())
    },
  },
  {
    capability: 'any',
    name: 'throws a NOT_SUPPORTED JunctionError for every operation it does not declare',
    async run({ connector }, options) {
      for (const capability of CAPABILITIES.filter((name) => !options.capabilities.includes(name))) {
        const error = await failureOf(() => calls[capability](connector, options))
        expect(error, `${capability} did not fail`).toBeDefined()
        expectJunctionError(error, 'NOT_SUPPORTED')
      }
    },
  },
  {
    capability: 'any',
    name: 'refuses an empty entity name with a VALIDATION_FAILED JunctionError',
    async run({ connector }, options) {
      for (const capability of options.capabilities.filter((name) => name !== 'batch')) {
        const error = await failureOf(() => calls[capability](connector, { ...options, entity: '' }))
        expect(error, `${capability} accepted an empty entity`).toBeDefined()
        expectJunctionError(error, 'VALIDATION_FAILED')
      }
    },
  },
  {
    capability: 'any',
    name: 'closes idempotently',
    async run({ connector }) {
      await connector.close()
      await connector.close()
    },
  },
  {
    capability: 'get',
    name: 'get returns the record of an existing key',
    async run({ connector }, options) {
      const record = await connector.get(options.entity, options.existingId)
      expect(record).toBeTypeOf('object')
      expect(idIn(record, options)).toBe(keyOf(options.existingId))
    },
  },
  {
    capability: 'get',
    name: 'get resolves to undefined for a missing key',
    async run({ connector }, options) {
      expect(await connector.get(options.entity, options.missingId)).toBeUndefined()
    },
  },
  {
    capability: 'query',
    name: 'query yields records, each once, each carrying its key',
    async run({ connector }, options) {
      const records = await collect(connector.query(options.entity, options.query ?? {}))
      expect(records.length).toBeGreaterThanOrEqual(3)
      const ids = records.map((record) => idIn(record, options))
      for (const id of ids) expect(id, 'a record without its key field').toBeTruthy()
      expect(new Set(ids).size).toBe(ids.length)
    },
  },
  {
    capability: 'query',
    name: 'query stops after limit records',
    async run({ connector }, options) {
      const records = await collect(connector.query(options.entity, { ...options.query, limit: 2 }))
      expect(records).toHaveLength(2)
    },
  },
  {
    capability: 'query',
    name: 'query can be left early, and the connector still answers afterwards',
    async run({ connector }, options) {
      for await (const _ of connector.query(options.entity, options.query ?? {})) break
      expect((await collect(connector.query(options.entity, { ...options.query, limit: 1 }))).length).toBe(1)
    },
  },
  {
    capability: 'create',
    name: 'create returns one result per record, in order, each with an id',
    async run({ connector }, options) {
      const make = need(options.newRecord, 'newRecord')
      const results = await connector.create(options.entity, [make(1), make(2), make(3)])
      expectResults(results, 3)
      for (const result of results) {
        expect(result.ok).toBe(true)
        expect(result.id).toBeTruthy()
      }
      if (connector.capabilities.has('get')) {
        const read = await connector.get(options.entity, results[1]?.id ?? '')
        expect(idIn(read, options)).toBe(results[1]?.id)
      }
    },
  },
  {
    capability: 'create',
    name: 'create reports a refused record as failed and keeps the records around it',
    async run({ connector }, options) {
      const make = need(options.newRecord, 'newRecord')
      const bad = need(options.invalidRecord, 'invalidRecord')
      const results = await connector.create(options.entity, [make(4), bad, make(5)])
      expectResults(results, 3)
      expect(results.map((result) => result.ok)).toEqual([true, false, true])
    },
  },
  {
    capability: 'create',
    name: 'create returns no results for no records',
    async run({ connector }, options) {
      expect(await connector.create(options.entity, [])).toEqual([])
    },
  },
  {
    capability: 'update',
    name: 'update changes an existing record and reports it',
    async run({ connector }, options) {
      const values = need(options.updateValues, 'updateValues')
      const results = await connector.update(options.entity, [{ id: options.existingId, values }])
      expectResults(results, 1)
      expect(results[0]?.ok).toBe(true)
      if (connector.capabilities.has('get')) {
        expect(await connector.get(options.entity, options.existingId)).toMatchObject(values)
      }
    },
  },
  {
    capability: 'update',
    name: 'update reports a missing key as failed and keeps the others',
    async run({ connector }, options) {
      const values = need(options.updateValues, 'updateValues')
      const results = await connector.update(options.entity, [
        { id: options.missingId, values },
        { id: options.existingId, values },
      ])
      expectResults(results, 2)
      expect(results.map((result) => result.ok)).toEqual([false, true])
    },
  },
  {
    capability: 'upsert',
    name: 'upsert creates a record, then updates the same external id instead of duplicating it',
    async run({ connector }, options) {
      const externalId = need(options.externalId, 'externalId')
      const record = need(options.newRecord, 'newRecord')(6)
      const first = await connector.upsert(options.entity, [record], { externalId })
      const second = await connector.upsert(options.entity, [record], { externalId })
      expectResults(first, 1)
      expectResults(second, 1)
      expect([first[0]?.ok, second[0]?.ok]).toEqual([true, true])
      const [created, updated] = [first[0], second[0]]
      if (created?.ok && created.created !== undefined) expect(created.created).toBe(true)
      if (updated?.ok && updated.created !== undefined) expect(updated.created).toBe(false)
      if (created?.id !== undefined && updated?.id !== undefined) expect(updated.id).toBe(created.id)
      if (connector.capabilities.has('query')) {
        const matches = await collect(
          connector.query(options.entity, { where: { [externalId]: String(record[externalId]) } }),
        )
        expect(matches).toHaveLength(1)
      }
    },
  },
  {
    capability: 'upsert',
    name: 'upsert reports a refused record as failed and keeps the records around it',
    async run({ connector }, options) {
      const externalId = need(options.externalId, 'externalId')
      const make = need(options.newRecord, 'newRecord')
      const bad = need(options.invalidRecord, 'invalidRecord')
      const results = await connector.upsert(options.entity, [make(7), bad, make(8)], { externalId })
      expectResults(results, 3)
      expect(results.map((result) => result.ok)).toEqual([true, false, true])
    },
  },
  {
    capability: 'upsert',
    name: 'upsert refuses a call without an external-id field with a VALIDATION_FAILED JunctionError',
    async run({ connector }, options) {
      const make = need(options.newRecord, 'newRecord')
      const error = await failureOf(() =>
        connector.upsert(options.entity, [make(9)], {} as unknown as { externalId: string }),
      )
      expectJunctionError(error, 'VALIDATION_FAILED')
    },
  },
  {
    capability: 'delete',
    name: 'delete removes a record and reports one result per key, in order, missing keys included',
    async run({ connector }, options) {
      const results = await connector.delete(options.entity, [options.missingId, options.existingId])
      expectResults(results, 2)
      expect(results[1]?.ok).toBe(true)
      if (connector.capabilities.has('get')) {
        expect(await connector.get(options.entity, options.existingId)).toBeUndefined()
      }
    },
  },
  {
    capability: 'batch',
    name: 'batch returns one result per operation, in order, a get carrying its record',
    async run({ connector }, options) {
      const operations: BatchOperation[] = [
        { op: 'get', entity: options.entity, id: options.existingId },
        { op: 'get', entity: options.entity, id: options.missingId },
        { op: 'get', entity: options.entity, id: options.existingId },
      ]
      const results = await connector.batch(operations)
      expectResults(results, 3)
      expect(idIn(results[0]?.record, options)).toBe(keyOf(options.existingId))
      expect(idIn(results[2]?.record, options)).toBe(keyOf(options.existingId))
      expect(results[1]?.record).toBeUndefined()
    },
  },
  {
    capability: 'changes',
    name: 'changes yields changes carrying serializable cursors',
    async run(fixture, options) {
      for (let n = 11; n <= 13; n++) await makeChange(fixture, options, n)
      const changes = await readChanges(fixture, options, options.changesFrom ?? {})
      expect(changes.length).toBeGreaterThanOrEqual(3)
      for (const change of changes) {
        expect(['upsert', 'delete']).toContain(change.kind)
        expect(typeof change.id).toBe('string')
        expect(typeof change.cursor).toBe('string')
        expect(change.cursor).not.toBe('')
        expect(JSON.parse(JSON.stringify(change.cursor))).toBe(change.cursor)
      }
    },
  },
  {
    capability: 'changes',
    name: 'changes resumed from any cursor yields exactly the changes after it, with no gap and no repeat',
    async run(fixture, options) {
      for (let n = 14; n <= 17; n++) await makeChange(fixture, options, n)
      const all = await readChanges(fixture, options, options.changesFrom ?? {})
      expect(all.length).toBeGreaterThanOrEqual(4)
      const signature = (change: Change) => `${change.kind}:${change.id}:${change.cursor}`
      for (const at of [0, Math.floor(all.length / 2), all.length - 2]) {
        const resumed = await readChanges(fixture, options, { cursor: all[at]?.cursor ?? '' })
        expect(resumed.map(signature)).toEqual(all.slice(at + 1).map(signature))
      }
    },
  },
  {
    capability: 'changes',
    name: 'changes from the last cursor yields nothing, then only what changed since',
    async run(fixture, options) {
      await makeChange(fixture, options, 18)
      const all = await readChanges(fixture, options, options.changesFrom ?? {})
      const last = all.at(-1)?.cursor ?? ''
      expect(await readChanges(fixture, options, { cursor: last })).toEqual([])
      await makeChange(fixture, options, 19)
      const fresh = await readChanges(fixture, options, { cursor: last })
      expect(fresh.length).toBeGreaterThanOrEqual(1)
      expect(fresh.map((change) => change.cursor)).not.toContain(last)
    },
  },
]
