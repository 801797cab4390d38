import { randomUUID } from 'node:crypto'
import { displayColumn } from '../present-record.js'
import type { ServiceNowTables, StoredRow } from '../servicenow-tables.js'
import { TableFault } from '../servicenow-tables.js'
import { json, jsonObject } from './sim-response.js'

/** What a transform script decides for a row: go on, skip it, or fail it with a message. */
export type TransformVerdict = undefined | { ignore: true; message?: string } | { error: string }

/** A transform map (sheet §5): staging columns onto a target table, coalescing on some target columns. */
export interface TransformMap {
  name: string
  target: string
  /** Staging column → target column. */
  fields: Readonly<Record<string, string>>
  /** Target columns whose values find the row to update; no match inserts. */
  coalesce: readonly string[]
  /** An `onBefore` script. */
  script?: (source: Readonly<StoredRow>) => TransformVerdict
}

/** The staging table the simulator has out of the box, with its map onto incident. */
export const DEFAULT_TRANSFORM_MAPS: Readonly<Record<string, readonly TransformMap[]>> = {
  u_incident_import: [
    {
      name: 'Incident import',
      target: 'incident',
      fields: {
        u_number: 'number',
        u_short_description: 'short_description',
        u_urgency: 'urgency',
        u_impact: 'impact',
        u_caller: 'caller_id',
      },
      coalesce: ['number'],
      script: (source) => {
        if ((source.u_short_description ?? '') === '')
          return { ignore: true, message: 'No short description' }
        for (const column of ['u_urgency', 'u_impact']) {
          const value = source[column] ?? ''
          if (value !== '' && !['1', '2', '3'].includes(value)) {
            return { error: `Choice rejected (200): ${value} is not a valid ${column.slice(2)}` }
          }
        }
        return undefined
      },
    },
  ],
}

/** Import Set API options. */
export interface ImportApiOptions {
  transformMaps: Readonly<Record<string, readonly TransformMap[]>>
  /** insertMultiple runs its transforms after answering (the default) or before (`sync`, a sys_rest_insert_multiple setting). */
  insertMultiple: 'async' | 'sync'
  /** insertMultiple keys: column labels (the default "staging table column format") or column names. */
  insertMultipleKeys: 'label' | 'name'
}

interface RowResult {
  transform_map: string
  table: string
  display_name: string
  display_value: string
  record_link: string
  status: 'inserted' | 'updated' | 'ignored' | 'error'
  sys_id: string
  status_message?: string
  error_message?: string
}

/** `/api/now/import/{staging}` and `/insertMultiple` over the tables, with transforms. */
export class ImportApi {
  readonly #tables: ServiceNowTables
  readonly #options: ImportApiOptions
  readonly #user: string
  #sets = 0
  /** Transforms not yet run (async insertMultiple); `settle()` waits for them. */
  #pending: Promise<void> = Promise.resolve()

  constructor(tables: ServiceNowTables, options: ImportApiOptions, user: string) {
    this.#tables = tables
    this.#options = options
    this.#user = user
  }

  /** Resolves once every queued insertMultiple transform has run. */
  settle(): Promise<void> {
    return this.#pending
  }

  /** Answers an Import Set API call. */
  async handle(request: Request, staging: string, action: string | undefined): Promise<Response> {
    const url = new URL(request.url)
    this.#staging(staging)
    if (request.method === 'GET' && action !== undefined) return this.#read(url, staging, action)
    if (request.method !== 'POST') throw new TableFault(405, 'Method not Supported', null)
    const body = await jsonObject(request)
    if (action === 'insertMultiple') return this.#insertMultiple(url, staging, body)
    if (action !== undefined) throw new TableFault(400, 'Requested URI does not represent any resource', null)
    const set = this.#newSet()
    const row = this.#stage(staging, set.sysId, body, 1)
    const results = this.#transform(url.origin, staging, row)
    return json(
      201,
      { import_set: set.number, staging_table: staging, result: results },
      { location: `${url.origin}/api/now/import/${staging}/${row.sys_id}` },
    )
  }

  #read(url: URL, staging: string, sysId: string): Response {
    const row = this.#tables.find(staging, sysId)
    const bookkeeping = this.#tables.find('sys_import_set_row', sysId)
    return json(200, {
      import_set: bookkeeping.sys_import_set,
      staging_table: staging,
      result: [this.#resultOf(url.origin, bookkeeping, row)],
    })
  }

  async #insertMultiple(url: URL, staging: string, body: Record<string, unknown>): Promise<Response> {
    const records = body.records
    if (!Array.isArray(records) || records.some((record) => typeof record !== 'object' || record === null)) {
      throw new TableFault(400, 'Exception while reading request', 'records must be an array of objects')
    }
    const set = this.#newSet()
    const multi = url.searchParams.get('multi_import_set_id') ?? randomUUID().replaceAll('-', '')
    const byLabel = new Map(
      [...this.#tables.columns(staging)].map(([name, spec]) => [spec.label ?? name, name] as const),
    )
    const rows = records.map((record, index) => {
      const values: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(record as Record<string, unknown>)) {
        const column = this.#options.insertMultipleKeys === 'label' ? byLabel.get(key) : key
        if (column !== undefined) values[column] = value
      }
      return this.#stage(staging, set.sysId, values, index + 1)
    })
    const run = () => {
      for (const row of rows) this.#transform(url.origin, staging, row)
    }
    if (this.#options.insertMultiple === 'sync') run()
    else
      this.#pending = this.#pending.then(
        () => new Promise<void>((resolve) => setImmediate(() => resolve(run()))),
      )
    return json(201, { import_set_id: set.sysId, multi_import_set_id: multi })
  }

  #newSet(): { sysId: string; number: string } {
    this.#sets++
    return {
      sysId: randomUUID().replaceAll('-', ''),
      number: `ISET${String(10_000 + this.#sets).padStart(7, '0')}`,
    }
  }

  // The staging row, and its sys_import_set_row bookkeeping under the same sys_id (staging extends it).
  #stage(staging: string, set: string, values: Record<string, unknown>, index: number): StoredRow {
    const row = this.#tables.insert(staging, values, this.#user)
    this.#tables.insert(
      'sys_import_set_row',
      {
        sys_id: row.sys_id,
        sys_import_set: set,
        sys_import_row: String(index),
        sys_import_state: 'pending',
        sys_target_table: this.#maps(staging)[0]?.target ?? '',
      },
      this.#user,
    )
    return row
  }

  #transform(origin: string, staging: string, row: StoredRow): RowResult[] {
    return this.#maps(staging).map((map) => {
      const verdict = map.script?.(row)
      const state = (fields: Record<string, string>) =>
        this.#tables.update(
          'sys_import_set_row',
          row.sys_id ?? '',
          { sys_transform_map: map.name, ...fields },
          this.#user,
        )
      if (verdict !== undefined && 'ignore' in verdict) {
        const bookkeeping = state({
          sys_import_state: 'ignored',
          sys_import_state_comment: verdict.message ?? '',
        })
        return this.#resultOf(origin, bookkeeping, row)
      }
      if (verdict !== undefined && 'error' in verdict) {
        const bookkeeping = state({ sys_import_state: 'error', sys_row_error: verdict.error })
        return this.#resultOf(origin, bookkeeping, row)
      }
      const target: Record<string, string> = {}
      for (const [from, to] of Object.entries(map.fields)) {
        if ((row[from] ?? '') !== '') target[to] = row[from] ?? ''
      }
      try {
        const existing =
          map.coalesce.length > 0 && map.coalesce.every((column) => (target[column] ?? '') !== '')
            ? this.#tables.findBy(
                map.target,
                Object.fromEntries(map.coalesce.map((c) => [c, target[c] ?? ''])),
              )
            : undefined
        const written =
          existing === undefined
            ? this.#tables.insert(map.target, target, this.#user)
            : this.#tables.update(map.target, existing.sys_id ?? '', target, this.#user)
        const bookkeeping = state({
          sys_import_state: existing === undefined ? 'inserted' : 'updated',
          sys_target_sys_id: written.sys_id ?? '',
        })
        return this.#resultOf(origin, bookkeeping, row)
      } catch (error) {
        if (!(error instanceof TableFault)) throw error
        const bookkeeping = state({
          sys_import_state: 'error',
          sys_row_error: `${error.message}: ${error.detail ?? ''}`,
        })
        return this.#resultOf(origin, bookkeeping, row)
      }
    })
  }

  #resultOf(origin: string, bookkeeping: StoredRow, row: StoredRow): RowResult {
    const status = bookkeeping.sys_import_state as RowResult['status']
    const table = bookkeeping.sys_target_table ?? ''
    const targetId = bookkeeping.sys_target_sys_id ?? ''
    const target = targetId === '' ? undefined : this.#tables.lookup(table, targetId)
    const display = table === '' ? 'sys_id' : displayColumn(this.#tables, table)
    const comment = bookkeeping.sys_import_state_comment ?? ''
    return {
      transform_map: bookkeeping.sys_transform_map ?? '',
      table,
      display_name: display,
      display_value: target?.[display] ?? '',
      record_link: target === undefined ? '' : `${origin}/api/now/table/${table}/${targetId}`,
      status,
      // Not transformed: the staging row's sys_id, not the target's (sheet §5.1).
      sys_id: target === undefined ? (row.sys_id ?? '') : targetId,
      ...(comment === '' ? {} : { status_message: comment }),
      ...(status === 'error' ? { error_message: bookkeeping.sys_row_error ?? '' } : {}),
    }
  }

  #maps(staging: string): readonly TransformMap[] {
    return this.#options.transformMaps[staging] ?? []
  }

  #staging(staging: string): void {
    if (!this.#tables.has(staging) || this.#options.transformMaps[staging] === undefined) {
      throw new TableFault(400, `Invalid table ${staging}`, null)
    }
  }
}
