import { compare, evaluate, literalValue, propertyOf, truthy } from './filter-eval.js'
import type { FilterNode, ODataLiteral } from './filter-parser.js'
import type { SimEntitySet, SimServiceDefinition } from './service-catalog.js'
import { ODataFault } from './sim-fault.js'
import { readValue, type SimRecord } from './sim-values.js'

// Gateway's "resource not found" message class (sheet §5.1).
const NOT_FOUND = '/IWBEP/CM_MGW_RT/020'
const INVALID = '/IWBEP/CM_MGW_RT/004'

/** The in-memory data of one simulated service, in the kept form (dates as ms, decimals as text). */
export class SimService {
  readonly #data = new Map<string, Map<string, SimRecord>>()
  // Undo steps of the open changeset, newest last; undefined outside a changeset.
  #journal: Array<() => void> | undefined
  readonly #highest = new Map<string, number>()

  constructor(
    readonly definition: SimServiceDefinition,
    private readonly now: () => number,
  ) {
    for (const set of definition.sets) this.#data.set(set.name, new Map())
  }

  /** The set called `name`, or a 404 fault. */
  set(name: string): SimEntitySet {
    const set = this.definition.sets.find((candidate) => candidate.name === name)
    if (set === undefined) throw new ODataFault(404, NOT_FOUND, `Resource not found for segment '${name}'`)
    return set
  }

  /** Whether this service has a set called `name`. */
  has(name: string): boolean {
    return this.#data.has(name)
  }

  /** Every record of a set, in key order of insertion. */
  records(setName: string): SimRecord[] {
    return [...this.#rows(setName).values()]
  }

  /** Adds seed records (V2 wire JSON or plain values), replacing any with the same key. */
  seed(setName: string, records: readonly Record<string, unknown>[]): void {
    const set = this.set(setName)
    const rows = this.#rows(setName)
    for (const input of records) {
      const record = this.#kept(set, input, true)
      // An ETag needs its source: a seed without one was last changed now.
      if (set.concurrency !== undefined && typeof record[set.concurrency] !== 'number')
        record[set.concurrency] = this.now()
      rows.set(keyOf(set, record), record)
    }
    this.#highest.delete(setName)
  }

  /** The record with the given key literals (a positional key under `''`), or a 404 fault. */
  find(setName: string, keys: ReadonlyMap<string, ODataLiteral>): SimRecord {
    const set = this.set(setName)
    const named = keys.has('') ? new Map([[set.keys[0] ?? '', keys.get('') as ODataLiteral]]) : keys
    if (named.size !== set.keys.length || !set.keys.every((key) => named.has(key))) {
      throw new ODataFault(400, '/IWBEP/CM_MGW_RT/021', `Invalid key predicate for '${setName}'`)
    }
    const key = set.keys.map((name) => String(literalValue(named.get(name) as ODataLiteral))).join('\u0000')
    const record = this.#rows(setName).get(key)
    if (record === undefined)
      throw new ODataFault(404, NOT_FOUND, `Resource not found for segment '${set.typeName}'`)
    return record
  }

  /** The records linked to `source` through navigation property `nav`. */
  navigate(
    setName: string,
    source: SimRecord,
    nav: string,
  ): { set: SimEntitySet; records: SimRecord[]; many: boolean } {
    const link = this.set(setName).navigation.find((candidate) => candidate.name === nav)
    if (link === undefined) throw new ODataFault(404, NOT_FOUND, `Resource not found for segment '${nav}'`)
    const records = this.records(link.target).filter((record) =>
      Object.entries(link.on).every(([to, from]) => record[to] === source[from]),
    )
    return { set: this.set(link.target), records, many: link.many }
  }

  /** The records that satisfy `filter`, ordered by `orderBy`. */
  query(
    setName: string,
    filter: FilterNode | undefined,
    orderBy: ReadonlyArray<{ property: string; descending: boolean }>,
  ): SimRecord[] {
    const set = this.set(setName)
    for (const { property } of orderBy) property && propertyOf(set, property)
    const rows =
      filter === undefined
        ? this.records(setName)
        : this.records(setName).filter((record) => truthy(evaluate(filter, record, set)))
    if (orderBy.length > 0) {
      rows.sort((a, b) => {
        for (const { property, descending } of orderBy) {
          const order = compare(a[property], b[property])
          if (order !== 0) return descending ? -order : order
        }
        return 0
      })
    }
    return rows
  }

  /**
   * Creates a record (and its deep-inserted children, nested arrays under navigation properties):
   * numbers a missing key, stamps change fields, and refuses unknown properties and sets that are
   * not creatable.
   */
  create(
    setName: string,
    payload: Record<string, unknown>,
    parent?: { set: string; record: SimRecord; nav: string },
  ): SimRecord {
    const set = this.set(setName)
    if (!set.creatable)
      throw new ODataFault(405, '/IWBEP/CM_MGW_RT/001', `Create is not allowed for entity set '${setName}'`)
    const children: Array<[string, Record<string, unknown>[]]> = []
    const fields: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(payload)) {
      const nav = set.navigation.find((candidate) => candidate.name === name)
      if (nav !== undefined) {
        if (!Array.isArray(value))
          throw new ODataFault(400, INVALID, `Deep insert of '${name}' expects an array`)
        children.push([name, value as Record<string, unknown>[]])
      } else fields[name] = value
    }
    if (parent !== undefined) {
      const link = this.set(parent.set).navigation.find((candidate) => candidate.name === parent.nav)
      for (const [to, from] of Object.entries(link?.on ?? {})) fields[to] = parent.record[from]
    }
    const record = this.#kept(set, fields, false)
    const numbering = set.keyNumbering
    if (
      numbering !== undefined &&
      (record[numbering.property] === undefined ||
        record[numbering.property] === null ||
        record[numbering.property] === '')
    ) {
      record[numbering.property] = this.#nextNumber(set, record, numbering)
    }
    const known = this.#highest.get(set.name)
    if (
      numbering !== undefined &&
      set.keys.length === 1 &&
      known !== undefined &&
      Number(record[numbering.property]) > known
    ) {
      this.#highest.set(set.name, Number(record[numbering.property]))
    }
    for (const key of set.keys) {
      if (record[key] === undefined || record[key] === null || record[key] === '')
        throw new ODataFault(400, INVALID, `Key property '${key}' of '${setName}' is missing`)
    }
    this.#stamp(set, record, true)
    const rows = this.#rows(setName)
    const key = keyOf(set, record)
    if (rows.has(key))
      throw new ODataFault(
        400,
        '/IWBEP/CM_MGW_RT/025',
        `Entity '${set.typeName}' with this key already exists`,
      )
    rows.set(key, record)
    this.#journal?.push(() => rows.delete(key))
    for (const [nav, items] of children) {
      const link = set.navigation.find((candidate) => candidate.name === nav)
      for (const item of items) this.create(link?.target ?? '', item, { set: setName, record, nav })
    }
    return record
  }

  /** Applies a partial (or, with `replace`, a whole) update; keys cannot change. */
  update(setName: string, record: SimRecord, payload: Record<string, unknown>, replace: boolean): void {
    const set = this.set(setName)
    if (!set.updatable)
      throw new ODataFault(405, '/IWBEP/CM_MGW_RT/001', `Update is not allowed for entity set '${setName}'`)
    const changes = this.#kept(set, payload, false)
    for (const key of set.keys) {
      if (key in changes && changes[key] !== record[key])
        throw new ODataFault(400, INVALID, `Key property '${key}' cannot be changed`)
    }
    const before = { ...record }
    this.#journal?.push(() => {
      for (const name of Object.keys(record)) delete record[name]
      Object.assign(record, before)
    })
    if (replace)
      for (const property of set.properties)
        if (!set.keys.includes(property.name)) record[property.name] = null
    Object.assign(record, changes)
    this.#stamp(set, record, false)
  }

  /** Deletes a record. */
  delete(setName: string, record: SimRecord): void {
    const set = this.set(setName)
    if (!set.deletable)
      throw new ODataFault(405, '/IWBEP/CM_MGW_RT/001', `Delete is not allowed for entity set '${setName}'`)
    const rows = this.#rows(setName)
    const key = keyOf(set, record)
    rows.delete(key)
    this.#journal?.push(() => rows.set(key, record))
  }

  /** Starts an atomic changeset: every change until `commit` or `rollback` can be undone. */
  begin(): void {
    this.#journal = []
  }

  /** Keeps the changeset's changes. */
  commit(): void {
    this.#journal = undefined
  }

  /** Undoes the changeset's changes, newest first. */
  rollback(): void {
    const steps = this.#journal ?? []
    this.#journal = undefined
    for (const undo of steps.reverse()) undo()
  }

  #rows(setName: string): Map<string, SimRecord> {
    const rows = this.#data.get(setName)
    if (rows === undefined)
      throw new ODataFault(404, NOT_FOUND, `Resource not found for segment '${setName}'`)
    return rows
  }

  #kept(set: SimEntitySet, input: Record<string, unknown>, seeding: boolean): SimRecord {
    const record: SimRecord = {}
    for (const [name, value] of Object.entries(input)) {
      if (name === '__metadata' || name.startsWith('@odata.')) continue
      const property = set.properties.find((candidate) => candidate.name === name)
      if (property === undefined) {
        if (seeding && set.navigation.some((nav) => nav.name === name)) continue
        throw new ODataFault(400, INVALID, `Property '${name}' is invalid for entity type '${set.typeName}'`)
      }
      const read = readValue(value, property)
      if (!read.ok)
        throw new ODataFault(
          400,
          '/IWCOR/CX_OD_PARSE_ERROR',
          `Invalid value for property '${name}' (${property.type})`,
        )
      if (
        property.maxLength !== undefined &&
        typeof read.value === 'string' &&
        read.value.length > property.maxLength
      ) {
        throw new ODataFault(
          400,
          INVALID,
          `Value for property '${name}' is longer than ${property.maxLength}`,
        )
      }
      record[name] = read.value
    }
    return record
  }

  #nextNumber(
    set: SimEntitySet,
    record: SimRecord,
    numbering: NonNullable<SimEntitySet['keyNumbering']>,
  ): string {
    if (set.keys.length === 1) {
      // A single key is numbered from the highest one yet, kept as it goes: sets can hold 50k records.
      const highest =
        this.#highest.get(set.name) ??
        this.records(set.name).reduce(
          (max, other) => Math.max(max, Number(other[numbering.property]) || 0),
          numbering.start - 1,
        )
      this.#highest.set(set.name, highest + 1)
      return String(highest + 1)
    }
    const siblings = this.records(set.name).filter((other) =>
      set.keys.filter((key) => key !== numbering.property).every((key) => other[key] === record[key]),
    )
    const highest = siblings.reduce(
      (max, other) => Math.max(max, Number(other[numbering.property]) || 0),
      numbering.start - 10,
    )
    return String(highest + 10)
  }

  // Every write moves the change fields on, so watermarks and ETags see it (sheet §10).
  #stamp(set: SimEntitySet, record: SimRecord, created: boolean): void {
    const now = this.now()
    const has = (name: string) => set.properties.some((property) => property.name === name)
    if (has('LastChangeDateTime')) {
      const previous = typeof record.LastChangeDateTime === 'number' ? record.LastChangeDateTime : 0
      record.LastChangeDateTime = Math.max(now, previous + 1)
    }
    const day = Math.floor(now / 86_400_000) * 86_400_000
    if (has('LastChangeDate')) record.LastChangeDate = day
    if (has('LastChangeTime')) {
      const seconds = Math.floor((now - day) / 1000)
      record.LastChangeTime = `PT${String(Math.floor(seconds / 3600)).padStart(2, '0')}H${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}M${String(seconds % 60).padStart(2, '0')}S`
    }
    if (created && has('CreationDate') && (record.CreationDate === undefined || record.CreationDate === null))
      record.CreationDate = day
  }
}

/** The key of a record as one map key. */
export function keyOf(set: SimEntitySet, record: SimRecord): string {
  return set.keys.map((key) => String(record[key])).join('\u0000')
}
