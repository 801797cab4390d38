import { randomBytes } from 'node:crypto'
import type { EntityRecord } from '@junction/core'
import { recordId } from './salesforce-ids.js'
import type { ParsedSoql, SoqlValue } from './soql-parser.js'

/** A REST error the org answers with: status plus one `{errorCode, message, fields}` entry. */
export class ApiFault extends Error {
  override readonly name = 'ApiFault'
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: readonly string[] = [],
  ) {
    super(message)
  }
}

/** What the in-memory org starts with. */
export interface SalesforceOrgOptions {
  /** Records by sObject name; a record without `Id` gets one. Standard objects exist even when empty. */
  records?: Readonly<Record<string, readonly EntityRecord[]>>
  /** Fields each sObject requires on create (defaults: Account.Name, Contact.LastName, Lead.LastName + Company). */
  required?: Readonly<Record<string, readonly string[]>>
  /** The daily API request allocation reported in `Sforce-Limit-Info` (Developer Edition: 15,000). */
  dailyApiLimit?: number
}

const STANDARD_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'User']
const DEFAULT_REQUIRED: Readonly<Record<string, readonly string[]>> = {
  Account: ['Name'],
  Contact: ['LastName'],
  Lead: ['LastName', 'Company'],
}
const ORG_ID = '00D5g000000SimA'

/** The simulated org's data: sObject records, issued sessions, open query cursors and API usage. */
export class SalesforceOrg {
  readonly orgId = ORG_ID
  readonly dailyApiLimit: number
  readonly #objects = new Map<string, EntityRecord[]>()
  readonly #required: Readonly<Record<string, readonly string[]>>
  readonly #sessions = new Set<string>()
  readonly #cursors = new Map<string, EntityRecord[]>()
  #apiUsed = 0
  #sequence = 0

  constructor(options: SalesforceOrgOptions = {}) {
    this.dailyApiLimit = options.dailyApiLimit ?? 15_000
    this.#required = options.required ?? DEFAULT_REQUIRED
    for (const name of STANDARD_OBJECTS) this.#objects.set(name, [])
    for (const [entity, records] of Object.entries(options.records ?? {})) {
      this.#objects.set(
        entity,
        records.map((record) => ({ Id: record.Id ?? this.#nextId(entity), ...record })),
      )
    }
  }

  /** Starts a session and returns its access token (`<org id>!<random>`, as real tokens look). */
  openSession(): string {
    const token = `${ORG_ID}!${randomBytes(24).toString('base64url')}`
    this.#sessions.add(token)
    return token
  }

  /** Whether `token` belongs to a live session. */
  hasSession(token: string): boolean {
    return this.#sessions.has(token)
  }

  /** Ends every session, as a timeout or a password change would: the next call gets 401. */
  expireSessions(): void {
    this.#sessions.clear()
  }

  /** Counts one API request; returns the usage after it. */
  countApiRequest(): { used: number; limit: number } {
    this.#apiUsed++
    return { used: this.#apiUsed, limit: this.dailyApiLimit }
  }

  /** Sets the API requests used so far (e.g. close to the limit, to provoke `REQUEST_LIMIT_EXCEEDED`). */
  setApiUsage(used: number): void {
    this.#apiUsed = used
  }

  /** A copy of the records of `entity`, in insertion order. */
  records(entity: string): EntityRecord[] {
    return (this.#objects.get(entity) ?? []).map((record) => ({ ...record }))
  }

  /** One record, optionally only some fields, with its `attributes`. */
  retrieve(version: string, entity: string, id: string, fields?: readonly string[]): EntityRecord {
    const records = this.#objects.get(entity)
    const record = records?.find(
      (candidate) => candidate.Id === id || String(candidate.Id).slice(0, 15) === id,
    )
    if (record === undefined) throw new ApiFault(404, 'NOT_FOUND', 'The requested resource does not exist')
    return fields === undefined
      ? this.#withAttributes(version, entity, record)
      : this.#project(version, entity, record, ['Id', ...fields])
  }

  /** Inserts one record; returns its new id. Faults as Salesforce does for a bad record. */
  insert(entity: string, fields: EntityRecord): string {
    const records = this.#objects.get(entity)
    if (records === undefined) throw new ApiFault(404, 'NOT_FOUND', 'The requested resource does not exist')
    if ('Id' in fields) {
      throw new ApiFault(400, 'INVALID_FIELD', 'The Id field should not be specified in the sobject data.')
    }
    const missing = (this.#required[entity] ?? []).filter(
      (field) => fields[field] === undefined || fields[field] === null || fields[field] === '',
    )
    if (missing.length > 0) {
      throw new ApiFault(
        400,
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.join(', ')}]`,
        missing,
      )
    }
    const now = new Date().toISOString().replace('Z', '+0000')
    const id = this.#nextId(entity)
    records.push({ ...fields, Id: id, CreatedDate: now, LastModifiedDate: now, SystemModstamp: now })
    return id
  }

  /** Runs a parsed query: every matching row, projected to the selected fields. */
  query(version: string, soql: ParsedSoql): EntityRecord[] {
    const records = this.#objects.get(soql.entity)
    if (records === undefined) {
      throw new ApiFault(400, 'INVALID_TYPE', `sObject type '${soql.entity}' is not supported.`)
    }
    const rows = records.filter((record) =>
      soql.where.every(({ field, value }) => matches(record[field], value)),
    )
    for (const { field, descending } of [...soql.orderBy].reverse()) {
      rows.sort((a, b) => compare(a[field], b[field]) * (descending ? -1 : 1))
    }
    return rows.slice(0, soql.limit).map((record) => this.#project(version, soql.entity, record, soql.fields))
  }

  /** Keeps the rows of a query for `nextRecordsUrl` calls; returns the cursor id. */
  openCursor(rows: EntityRecord[]): string {
    const id = `01gSIM${String(this.#cursors.size + 1).padStart(9, '0')}`
    this.#cursors.set(id, rows)
    return id
  }

  /** The rows of an open cursor. */
  cursor(id: string): EntityRecord[] {
    const rows = this.#cursors.get(id)
    if (rows === undefined) throw new ApiFault(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator')
    return rows
  }

  #nextId(entity: string): string {
    return recordId(entity, ++this.#sequence)
  }

  #withAttributes(version: string, entity: string, record: EntityRecord): EntityRecord {
    return {
      attributes: { type: entity, url: `/services/data/${version}/sobjects/${entity}/${String(record.Id)}` },
      ...record,
    }
  }

  // Fields that exist on no record of the object still come back, as `null` (unset fields do).
  #project(version: string, entity: string, record: EntityRecord, fields: readonly string[]): EntityRecord {
    const projected: EntityRecord = { Id: record.Id }
    for (const field of fields) projected[field] = record[field] ?? null
    if (!fields.includes('Id')) delete projected.Id
    return this.#withAttributes(version, entity, projected)
  }
}

function matches(actual: unknown, expected: SoqlValue): boolean {
  if (expected === null) return actual === null || actual === undefined
  if (typeof expected === 'object')
    return typeof actual === 'string' && parseDateTime(actual) === expected.dateTime
  return actual === expected
}

// Salesforce writes datetimes with an offset without a colon (`+0000`), which Date.parse may reject.
function parseDateTime(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0
  // SOQL sorts nulls first in ascending order.
  if (a === null || a === undefined) return -1
  if (b === null || b === undefined) return 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a) < String(b) ? -1 : 1
}
