import { ConfigError, type EntityRecord } from '@junction/core'
import type { ODataCondition, ODataValue } from './odata-parser.js'

/** An entity set of the simulated service: its key properties, records and navigation properties. */
export interface SapEntitySet {
  keys: readonly string[]
  records: readonly EntityRecord[]
  /** Navigation properties, answered as `__deferred` links when no `$select` is given. */
  navigation?: readonly string[]
}

/** An OData error the service answers with (sheet §5.1): status, message class and text. */
export class ODataFault extends Error {
  override readonly name = 'ODataFault'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

// Keys and navigation of API_BUSINESS_PARTNER's sets (sheet §1.2), so a test can pass records alone.
const KNOWN_SETS: Readonly<Record<string, Omit<SapEntitySet, 'records'>>> = {
  A_BusinessPartner: {
    keys: ['BusinessPartner'],
    navigation: ['to_BusinessPartnerAddress', 'to_BusinessPartnerRole', 'to_Customer', 'to_Supplier'],
  },
  A_BusinessPartnerAddress: { keys: ['BusinessPartner', 'AddressID'] },
  A_Customer: { keys: ['Customer'] },
  A_Supplier: { keys: ['Supplier'] },
}

// Gateway's "resource not found" message (sheet §5.1: `/IWBEP/CM_MGW_RT/020`).
const NOT_FOUND_CODE = '/IWBEP/CM_MGW_RT/020'

/** The in-memory data behind one simulated OData V2 service. */
export class SapService {
  readonly name: string
  readonly #sets = new Map<string, SapEntitySet>()

  constructor(name: string, entitySets: Readonly<Record<string, readonly EntityRecord[] | SapEntitySet>>) {
    this.name = name
    for (const [setName, definition] of Object.entries(entitySets)) {
      if (!Array.isArray(definition)) {
        this.#sets.set(setName, definition as SapEntitySet)
        continue
      }
      const known = KNOWN_SETS[setName]
      if (known === undefined) {
        throw new ConfigError({
          message: `sapSimulator: entity set ${setName} is not one it knows; give { keys, records }`,
          option: `entitySets.${setName}`,
        })
      }
      this.#sets.set(setName, { ...known, records: definition })
    }
  }

  /** The entity set called `name`, or a 404 fault. */
  entitySet(name: string): SapEntitySet {
    const set = this.#sets.get(name)
    if (set === undefined)
      throw new ODataFault(404, NOT_FOUND_CODE, `Resource not found for segment '${name}'`)
    return set
  }

  /** The record with the given key values (a positional key under `''`), or a 404 fault. */
  find(setName: string, keys: ReadonlyMap<string, ODataValue>): EntityRecord {
    const set = this.entitySet(setName)
    const wanted = keys.has('') ? new Map([[set.keys[0] ?? '', keys.get('')]]) : keys
    if (wanted.size !== set.keys.length || !set.keys.every((key) => wanted.has(key))) {
      throw new ODataFault(400, '/IWBEP/CM_MGW_RT/021', `Invalid key predicate for '${setName}'`)
    }
    const record = set.records.find((candidate) =>
      set.keys.every((key) => {
        const value = wanted.get(key)
        return value !== undefined && matches(candidate[key], value)
      }),
    )
    if (record === undefined)
      throw new ODataFault(404, NOT_FOUND_CODE, `Resource not found for segment '${setName}Type'`)
    return record
  }

  /** The records of `setName` that satisfy every condition, sorted by `orderBy`. */
  query(
    setName: string,
    conditions: readonly ODataCondition[],
    orderBy: ReadonlyArray<{ property: string; descending: boolean }>,
  ): EntityRecord[] {
    const rows = this.entitySet(setName).records.filter((record) =>
      conditions.every(({ property, value }) => matches(record[property], value)),
    )
    for (const { property, descending } of [...orderBy].reverse()) {
      rows.sort((a, b) => compare(a[property], b[property]) * (descending ? -1 : 1))
    }
    return rows
  }
}

function matches(actual: unknown, expected: ODataValue): boolean {
  switch (expected.kind) {
    case 'null':
      return actual === null || actual === undefined
    case 'string':
      return actual === expected.value
    case 'boolean':
      return actual === expected.value
    case 'guid':
      return typeof actual === 'string' && actual.toLowerCase() === expected.value.toLowerCase()
    // Edm.Decimal and Int64 travel as strings in V2 JSON (sheet §1.5), Int32 as numbers.
    case 'number':
      return (
        (typeof actual === 'number' || typeof actual === 'string') &&
        actual !== '' &&
        Number(actual) === expected.value
      )
    case 'datetime':
      return typeof actual === 'string' && jsonDateMs(actual) === expected.value
  }
}

// `/Date(1705276800000)/`, or with an offset in minutes `/Date(1525357189000+0000)/` (the instant is the ms part).
function jsonDateMs(value: string): number | undefined {
  const ms = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value)?.[1]
  return ms === undefined ? undefined : Number(ms)
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0
  if (a === null || a === undefined) return -1
  if (b === null || b === undefined) return 1
  return String(a) < String(b) ? -1 : 1
}
