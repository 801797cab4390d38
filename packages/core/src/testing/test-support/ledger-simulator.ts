import { HttpResponse, http } from 'msw'
import type { EntityRecord } from '../../connector/connector.js'
import { createSimulator, type Simulator } from '../simulator.js'

/** One entry of the ledger's change log. */
export interface LedgerChange {
  seq: number
  kind: 'upsert' | 'delete'
  id: string
  record?: EntityRecord
  changedAt: string
}

/** The simulated ledger's data: tables of records keyed by `id`, and one change log per table. */
export class LedgerData {
  readonly #tables = new Map<string, Map<string, EntityRecord>>()
  readonly #log = new Map<string, LedgerChange[]>()
  #seq = 0
  #ids = 0

  /** The records of `entity`, in insertion order. */
  rows(entity: string): EntityRecord[] {
    return [...this.#table(entity).values()].map((row) => ({ ...row }))
  }

  /** One record, or `undefined`. */
  row(entity: string, id: string): EntityRecord | undefined {
    const row = this.#table(entity).get(id)
    return row === undefined ? undefined : { ...row }
  }

  /** Creates or replaces a record (giving it an id when it has none) and logs the change, at `at` (default now). */
  put(entity: string, record: EntityRecord, at: Date = new Date()): EntityRecord {
    const id =
      typeof record.id === 'string' && record.id !== ''
        ? record.id
        : `L${String(++this.#ids).padStart(6, '0')}`
    const row = { ...record, id }
    this.#table(entity).set(id, row)
    this.#append(entity, { kind: 'upsert', id, record: { ...row } }, at)
    return { ...row }
  }

  /** Deletes a record and logs it; returns whether it was there. */
  remove(entity: string, id: string): boolean {
    const removed = this.#table(entity).delete(id)
    if (removed) this.#append(entity, { kind: 'delete', id }, new Date())
    return removed
  }

  /** The change log of `entity` after sequence number `after`. */
  changesAfter(entity: string, after: number): LedgerChange[] {
    return (this.#log.get(entity) ?? []).filter((change) => change.seq > after)
  }

  #append(entity: string, change: Omit<LedgerChange, 'seq' | 'changedAt'>, at: Date): void {
    const log = this.#log.get(entity) ?? []
    log.push({ ...change, seq: ++this.#seq, changedAt: at.toISOString() })
    this.#log.set(entity, log)
  }

  #table(entity: string): Map<string, EntityRecord> {
    let table = this.#tables.get(entity)
    if (table === undefined) {
      table = new Map()
      this.#tables.set(entity, table)
    }
    return table
  }
}

/** A ledger simulator: the data, and the msw-based simulator serving it. */
export interface LedgerSimulator extends Simulator {
  readonly data: LedgerData
}

const fault = (status: number, code: string, message: string) =>
  HttpResponse.json({ fault: { code, message } }, { status })

// A record the ledger accepts: a non-empty `name`; `amount`, when present, a number.
const invalidField = (record: EntityRecord): string | undefined =>
  typeof record.name !== 'string' || record.name === ''
    ? 'name'
    : record.amount !== undefined && typeof record.amount !== 'number'
      ? 'amount'
      : undefined

/**
 * A small legacy ledger REST API for core's own tests: tables of JSON records, offset paging, a change
 * log read with `?after=<seq>`, upsert by any field, and its own fault body (`{ fault: { code } }`).
 */
export function ledgerSimulator(seed: Record<string, EntityRecord[]> = {}): LedgerSimulator {
  const data = new LedgerData()
  for (const [entity, rows] of Object.entries(seed)) for (const row of rows) data.put(entity, row)

  const simulator = createSimulator({
    handlers: [
      http.get('*/ledger/:entity/changes', ({ params, request }) => {
        const url = new URL(request.url)
        const after = Number(url.searchParams.get('after') ?? '0')
        const limit = Number(url.searchParams.get('limit') ?? '50')
        if (!Number.isInteger(after) || after < 0)
          return fault(400, 'BAD_CURSOR', 'after must be a sequence number')
        const since = url.searchParams.get('since')
        const all = data
          .changesAfter(String(params.entity), after)
          .filter((change) => since === null || change.changedAt >= since)
        return HttpResponse.json({ changes: all.slice(0, limit), more: all.length > limit })
      }),
      http.get('*/ledger/:entity/:id', ({ params }) => {
        const row = data.row(String(params.entity), String(params.id))
        return row
          ? HttpResponse.json({ record: row })
          : fault(404, 'NO_SUCH_RECORD', 'no record with that id')
      }),
      http.get('*/ledger/:entity', ({ params, request }) => {
        const url = new URL(request.url)
        const offset = Number(url.searchParams.get('offset') ?? '0')
        const limit = Number(url.searchParams.get('limit') ?? '50')
        const filters = [...url.searchParams].filter(([name]) => !['offset', 'limit'].includes(name))
        const rows = data
          .rows(String(params.entity))
          .filter((row) => filters.every(([field, value]) => String(row[field]) === value))
        const page = rows.slice(offset, offset + limit)
        return HttpResponse.json({
          records: page,
          next: offset + limit < rows.length ? offset + limit : null,
        })
      }),
      http.post('*/ledger/:entity', async ({ params, request }) => {
        const record = (await request.json()) as EntityRecord
        const bad = invalidField(record)
        if (bad) return fault(422, 'INVALID_FIELD', `field ${bad} is missing or of the wrong type`)
        if (typeof record.id === 'string' && data.row(String(params.entity), record.id)) {
          return fault(409, 'DUPLICATE_ID', 'a record with that id exists')
        }
        return HttpResponse.json({ record: data.put(String(params.entity), record) }, { status: 201 })
      }),
      http.patch('*/ledger/:entity/:id', async ({ params, request }) => {
        const entity = String(params.entity)
        const current = data.row(entity, String(params.id))
        if (!current) return fault(404, 'NO_SUCH_RECORD', 'no record with that id')
        const merged = { ...current, ...((await request.json()) as EntityRecord), id: current.id }
        const bad = invalidField(merged)
        if (bad) return fault(422, 'INVALID_FIELD', `field ${bad} is missing or of the wrong type`)
        return HttpResponse.json({ record: data.put(entity, merged) })
      }),
      http.put('*/ledger/:entity/by/:field/:value', async ({ params, request }) => {
        const entity = String(params.entity)
        const field = String(params.field)
        const value = String(params.value)
        const matches = data.rows(entity).filter((row) => String(row[field]) === value)
        if (matches.length > 1) return fault(409, 'AMBIGUOUS_KEY', 'more than one record has that key')
        const [match] = matches
        const record = { ...match, ...((await request.json()) as EntityRecord), [field]: value }
        const bad = invalidField(record)
        if (bad) return fault(422, 'INVALID_FIELD', `field ${bad} is missing or of the wrong type`)
        return HttpResponse.json({ record: data.put(entity, record) }, { status: match ? 200 : 201 })
      }),
      http.delete('*/ledger/:entity/:id', ({ params }) =>
        data.remove(String(params.entity), String(params.id))
          ? new HttpResponse(null, { status: 204 })
          : fault(404, 'NO_SUCH_RECORD', 'no record with that id'),
      ),
    ],
  })
  return Object.assign(simulator, { data })
}
