import { randomBytes } from 'node:crypto'
import type { EntityRecord } from '@junction/core'
import { ApiFault } from './api-fault.js'
import { FieldPaths } from './field-paths.js'
import { KEY_PREFIXES, recordId, withChecksum } from './salesforce-ids.js'
import { type FieldDeclaration, type FieldDef, SObjectSchema } from './sobject-schema.js'
import { compareStored, type FieldReader, parseDateTime, satisfies } from './soql-eval.js'
import type { ParsedSoql, SoqlCondition } from './soql-parser.js'

/** What the in-memory org starts with. */
export interface SalesforceOrgOptions {
  /** Records by sObject name; a record without `Id` gets one. Standard objects exist even when empty. */
  records?: Readonly<Record<string, readonly EntityRecord[]>>
  /** Fields to declare per sObject (types, external ids, references) beyond what the records show. */
  fields?: Readonly<Record<string, Readonly<Record<string, FieldDeclaration>>>>
  /** Fields each sObject requires on create (defaults: Account.Name, Contact.LastName, Lead.LastName + Company). */
  required?: Readonly<Record<string, readonly string[]>>
  /** The daily API request allocation reported in `Sforce-Limit-Info` (Developer Edition: 15,000). */
  dailyApiLimit?: number
  /** How long a session lives without use (default 2 hours, Salesforce's default timeout). */
  sessionTimeoutMs?: number
  /** The org's clock (default the system clock); system timestamps have whole seconds, as Salesforce's do. */
  now?: () => Date
}

/** A record as the org keeps it, with its recycle-bin state. */
interface Stored {
  fields: EntityRecord
  deletedAt?: string | undefined
}

/** Every sObject's records, by 18-character id. Replaced as a whole on rollback. */
type Tables = Map<string, Map<string, Stored>>

const STANDARD_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'User']
const DEFAULT_REQUIRED: Readonly<Record<string, readonly string[]>> = {
  Account: ['Name'],
  Contact: ['LastName'],
  Lead: ['LastName', 'Company'],
  Opportunity: ['Name'],
  User: ['Username'],
}
// A few common standard fields per standard object, so an empty org accepts everyday writes; tests
// declare anything else through `fields` or the seed records.
const STANDARD_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldDeclaration>>>> = {
  Account: {
    Name: {},
    Industry: { type: 'picklist' },
    Type: { type: 'picklist' },
    Rating: { type: 'picklist' },
    NumberOfEmployees: { type: 'int' },
    AnnualRevenue: { type: 'currency' },
    Phone: { type: 'phone' },
    Website: {},
    Description: { type: 'textarea' },
    BillingCity: {},
    BillingCountry: {},
    ParentId: { type: 'reference' },
    OwnerId: { type: 'reference' },
  },
  Contact: {
    FirstName: {},
    LastName: {},
    Email: { type: 'email' },
    Phone: { type: 'phone' },
    Title: {},
    AccountId: { type: 'reference' },
    OwnerId: { type: 'reference' },
  },
  Lead: {
    FirstName: {},
    LastName: {},
    Company: {},
    Email: { type: 'email' },
    Status: { type: 'picklist' },
    OwnerId: { type: 'reference' },
  },
  Opportunity: {
    Name: {},
    StageName: { type: 'picklist' },
    CloseDate: { type: 'date' },
    Amount: { type: 'currency' },
    AccountId: { type: 'reference' },
    OwnerId: { type: 'reference' },
  },
  Case: {
    Subject: {},
    Status: { type: 'picklist' },
    AccountId: { type: 'reference' },
    ContactId: { type: 'reference' },
  },
  User: { Username: {}, Email: { type: 'email' }, LastName: {} },
}
const ORG_ID = '00D5g000000SimA'
const NOT_FOUND = 'The requested resource does not exist'

/** The simulated org's data: sObject records and schemas, sessions, open query cursors and API usage. */
export class SalesforceOrg {
  readonly orgId = ORG_ID
  readonly dailyApiLimit: number
  readonly #schemas = new Map<string, SObjectSchema>()
  readonly #paths = new FieldPaths(
    (name) => this.#schemas.get(name.toLowerCase()),
    (entity, id) => this.#find(entity, id)?.fields,
  )
  #tables: Tables = new Map()
  // External-id lookups by `Entity.field` → lower-cased value → ids; built on first use, kept up to date.
  #indexes = new Map<string, Map<string, Set<string>>>()
  readonly #sessions = new Map<string, number>()
  readonly #cursors = new Map<string, QueryResult>()
  readonly #sessionTimeoutMs: number
  readonly #clock: () => Date
  readonly #prefixes = new Map<string, string>()
  #apiUsed = 0
  #sequence = 0
  #cursorSequence = 0

  constructor(options: SalesforceOrgOptions = {}) {
    this.dailyApiLimit = options.dailyApiLimit ?? 15_000
    this.#sessionTimeoutMs = options.sessionTimeoutMs ?? 2 * 60 * 60_000
    this.#clock = options.now ?? (() => new Date())
    const required = { ...DEFAULT_REQUIRED, ...options.required }
    const names = new Set([
      ...STANDARD_OBJECTS,
      ...Object.keys(options.fields ?? {}),
      ...Object.keys(options.records ?? {}),
    ])
    for (const name of names) {
      const schema = new SObjectSchema(name, required[name] ?? [])
      for (const [field, declaration] of Object.entries(STANDARD_FIELDS[name] ?? {})) {
        schema.declare(field, declaration)
      }
      this.#schemas.set(name.toLowerCase(), schema)
      this.#tables.set(name, new Map())
    }
    for (const [entity, records] of Object.entries(options.records ?? {})) {
      const schema = this.#schema(entity)
      const table = this.#table(entity)
      const now = this.timestamp()
      for (const record of records) {
        schema.learn(record)
        const id = typeof record.Id === 'string' ? withChecksum(record.Id.slice(0, 15)) : this.#nextId(entity)
        table.set(id, {
          fields: {
            IsDeleted: false,
            CreatedDate: now,
            LastModifiedDate: now,
            SystemModstamp: now,
            ...record,
            Id: id,
          },
        })
      }
    }
    for (const [entity, fields] of Object.entries(options.fields ?? {})) {
      for (const [name, declaration] of Object.entries(fields))
        this.#schema(entity).declare(name, declaration)
    }
  }

  // ------------------------------------------------------------------ sessions and usage

  /** Starts a session and returns its access token (`<org id>!<random>`, as real tokens look). */
  openSession(): string {
    const token = `${ORG_ID}!${randomBytes(24).toString('base64url')}`
    this.#sessions.set(token, this.#clock().getTime())
    return token
  }

  /** Whether `token` belongs to a live session; each use extends it, as Salesforce's timeout does. */
  useSession(token: string): boolean {
    const lastUsed = this.#sessions.get(token)
    const now = this.#clock().getTime()
    if (lastUsed === undefined || now - lastUsed > this.#sessionTimeoutMs) {
      this.#sessions.delete(token)
      return false
    }
    this.#sessions.set(token, now)
    return true
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

  /** API requests used so far in the (simulated) rolling day. */
  get apiUsed(): number {
    return this.#apiUsed
  }

  /** Sets the API requests used so far (e.g. close to the limit, to provoke `REQUEST_LIMIT_EXCEEDED`). */
  setApiUsage(used: number): void {
    this.#apiUsed = used
  }

  // ------------------------------------------------------------------ schema

  /** The sObject names, in the order they were declared. */
  get sobjectNames(): string[] {
    return [...this.#schemas.values()].map((schema) => schema.name)
  }

  /** The schema of `entity`; 404 `NOT_FOUND` when the org has no such sObject. */
  schema(entity: string): SObjectSchema {
    const schema = this.#schemas.get(entity.toLowerCase())
    if (schema === undefined) throw new ApiFault(404, 'NOT_FOUND', NOT_FOUND)
    return schema
  }

  // ------------------------------------------------------------------ records

  /** A copy of the live (not deleted) records of `entity`, in insertion order. */
  records(entity: string): EntityRecord[] {
    return [...(this.#tables.get(this.#canonical(entity)) ?? new Map<string, Stored>()).values()]
      .filter((stored) => stored.deletedAt === undefined)
      .map((stored) => ({ ...stored.fields }))
  }

  /** One record, optionally only some fields, with its `attributes`. */
  retrieve(version: string, entity: string, id: string, fields?: readonly string[]): EntityRecord {
    const schema = this.schema(entity)
    const stored = this.#live(schema.name, id)
    const names = fields === undefined ? schema.fields.map((field) => field.name) : ['Id', ...fields]
    return this.#paths.project(version, schema, stored.fields, names)
  }

  /** Records whose `field` equals `value` (case-insensitive), live ones only. */
  findByField(entity: string, field: string, value: string): EntityRecord[] {
    const schema = this.schema(entity)
    const def = this.#externalIdField(schema, field)
    const table = this.#table(schema.name)
    const ids = this.#index(schema.name, def.name).get(value.toLowerCase()) ?? new Set<string>()
    return [...ids].flatMap((id) => {
      const stored = table.get(id)
      return stored === undefined ? [] : [stored.fields]
    })
  }

  /** Inserts one record; returns its new id. Faults as Salesforce does for a bad record. */
  insert(entity: string, fields: EntityRecord): string {
    const schema = this.schema(entity)
    if (Object.keys(fields).some((name) => name.toLowerCase() === 'id')) {
      throw new ApiFault(400, 'INVALID_FIELD', 'The Id field should not be specified in the sobject data.')
    }
    const values = this.#checkFields(schema, fields)
    const missing = schema.fields
      .filter((field) => field.required)
      .filter(
        (field) =>
          values[field.name] === undefined || values[field.name] === null || values[field.name] === '',
      )
      .map((field) => field.name)
    if (missing.length > 0) {
      throw new ApiFault(
        400,
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.join(', ')}]`,
        missing,
      )
    }
    const id = this.#nextId(schema.name)
    this.#checkUnique(schema, values, id)
    const now = this.timestamp()
    this.#put(schema.name, id, {
      fields: {
        ...values,
        Id: id,
        IsDeleted: false,
        CreatedDate: now,
        LastModifiedDate: now,
        SystemModstamp: now,
      },
    })
    return id
  }

  /** Changes fields of one record; `null` clears a field. */
  update(entity: string, id: string, fields: EntityRecord): void {
    const schema = this.schema(entity)
    const stored = this.#live(schema.name, id)
    const values = this.#checkFields(schema, omitId(fields))
    for (const field of schema.fields.filter((candidate) => candidate.required)) {
      if (field.name in values && (values[field.name] === null || values[field.name] === '')) {
        throw new ApiFault(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${field.name}]`, [
          field.name,
        ])
      }
    }
    this.#checkUnique(schema, values, String(stored.fields.Id))
    const now = this.timestamp()
    this.#put(schema.name, String(stored.fields.Id), {
      fields: { ...stored.fields, ...values, LastModifiedDate: now, SystemModstamp: now },
    })
  }

  /** Moves a record to the recycle bin (`IsDeleted`, visible to `queryAll` and `/deleted`). */
  remove(entity: string, id: string): void {
    const schema = this.schema(entity)
    const stored = this.#live(schema.name, id)
    const now = this.timestamp()
    this.#put(schema.name, String(stored.fields.Id), {
      fields: { ...stored.fields, IsDeleted: true, SystemModstamp: now },
      deletedAt: now,
    })
  }

  /**
   * Upsert by external id (sheet §2.5): created, updated, or a 300 `MULTIPLE_CHOICES` fault listing
   * the matching records' URLs (element shape UNVERIFIED).
   */
  upsert(
    version: string,
    entity: string,
    field: string,
    value: string,
    fields: EntityRecord,
  ): { id: string; created: boolean } {
    const schema = this.schema(entity)
    const def = this.#externalIdField(schema, field)
    if (Object.keys(fields).some((name) => name.toLowerCase() === 'id')) {
      throw new ApiFault(400, 'INVALID_FIELD', 'The Id field should not be specified in the sobject data.')
    }
    const given = Object.entries(fields).find(([name]) => name.toLowerCase() === def.name.toLowerCase())?.[1]
    if (given !== undefined && String(given) !== value) {
      throw new ApiFault(400, 'INVALID_FIELD', `The value of ${def.name} in the body does not match the URL`)
    }
    const matches =
      def.name === 'Id'
        ? this.#byIdOrEmpty(schema.name, value)
        : this.findByField(schema.name, def.name, value)
    if (matches.length > 1) {
      throw new MultipleChoices(
        matches.map((record) => `/services/data/${version}/sobjects/${schema.name}/${String(record.Id)}`),
      )
    }
    const match = matches[0]
    if (match !== undefined) {
      this.update(schema.name, String(match.Id), fields)
      return { id: String(match.Id), created: false }
    }
    const id = this.insert(schema.name, def.name === 'Id' ? omitId(fields) : { ...fields, [def.name]: value })
    return { id, created: true }
  }

  /** Runs a parsed query: matching rows, projected, with the total before LIMIT/OFFSET paging. */
  query(version: string, soql: ParsedSoql, options: { all: boolean }): QueryResult {
    const schema = this.#schemas.get(soql.entity.toLowerCase())
    if (schema === undefined) {
      throw new ApiFault(
        400,
        'INVALID_TYPE',
        `\n${soql.entity}\n^\nERROR at Row:1:Column:1\nsObject type '${soql.entity}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      )
    }
    const fields = soql.fields.map((path) => this.#paths.resolve(schema, path))
    const table = this.#table(schema.name)
    const reader =
      (record: EntityRecord): FieldReader =>
      (path) =>
        this.#paths.read(schema, record, path)
    let rows = [...table.values()]
      .filter((stored) => options.all || stored.deletedAt === undefined)
      .map((stored) => stored.fields)
    const where = soql.where
    if (where !== undefined) {
      checkConditionFields(where, (path) => this.#paths.resolve(schema, path))
      rows = rows.filter((record) => satisfies(where, reader(record)))
    }
    if (soql.orderBy.length > 0) {
      for (const { field } of soql.orderBy) this.#paths.resolve(schema, field)
      rows.sort((a, b) => {
        for (const { field, descending, nullsLast } of soql.orderBy) {
          const left = this.#paths.read(schema, a, field)
          const right = this.#paths.read(schema, b, field)
          const leftNull = left === null || left === undefined
          const rightNull = right === null || right === undefined
          if (leftNull || rightNull) {
            if (leftNull && rightNull) continue
            return leftNull === nullsLast ? 1 : -1
          }
          const order = compareStored(left, right) * (descending ? -1 : 1)
          if (order !== 0) return order
        }
        return 0
      })
    }
    const start = soql.offset ?? 0
    const sliced = rows.slice(start, soql.limit === undefined ? undefined : start + soql.limit)
    if (soql.count) return { rows: [], totalSize: sliced.length, project: (record) => record }
    const paths = fields.map((field) => field.path)
    // Rows are projected page by page, as they are served: a 100k-row cursor costs no more up front.
    return {
      rows: sliced,
      totalSize: sliced.length,
      project: (record) => this.#paths.projectPaths(version, schema, record, paths),
    }
  }

  /** Ids of records changed in `[start, end)` by `SystemModstamp` (`GET …/updated`). */
  updatedIds(entity: string, start: number, end: number): string[] {
    const schema = this.schema(entity)
    return [...this.#table(schema.name).values()]
      .filter((stored) => stored.deletedAt === undefined)
      .filter((stored) => {
        const at = parseDateTime(String(stored.fields.SystemModstamp))
        return at >= start && at < end
      })
      .map((stored) => String(stored.fields.Id))
  }

  /** Records deleted in `[start, end)` (`GET …/deleted`). */
  deletedRecords(entity: string, start: number, end: number): Array<{ id: string; deletedDate: string }> {
    const schema = this.schema(entity)
    return [...this.#table(schema.name).values()]
      .filter((stored) => {
        if (stored.deletedAt === undefined) return false
        const at = parseDateTime(stored.deletedAt)
        return at >= start && at < end
      })
      .map((stored) => ({ id: String(stored.fields.Id), deletedDate: stored.deletedAt as string }))
  }

  /**
   * Saves every record's state and returns a function that restores it (all-or-none writes). Writes
   * replace record objects rather than change them, so copying the tables' maps is enough.
   */
  checkpoint(): () => void {
    const saved: Tables = new Map([...this.#tables].map(([name, table]) => [name, new Map(table)]))
    const sequence = this.#sequence
    return () => this.#restore(saved, sequence)
  }

  /** The 3-character id prefix of an sObject's records. */
  keyPrefix(entity: string): string {
    const name = this.#canonical(entity)
    let prefix = this.#prefixes.get(name)
    if (prefix === undefined) {
      prefix = KEY_PREFIXES[name] ?? `a${(this.#prefixes.size + 10).toString(36).padStart(2, '0')}`
      this.#prefixes.set(name, prefix)
    }
    return prefix
  }

  // ------------------------------------------------------------------ cursors

  /** Keeps the rows of a query for `nextRecordsUrl` calls; returns the cursor id. */
  openCursor(rows: QueryResult): string {
    const id = `01gSIM${String(++this.#cursorSequence).padStart(9, '0')}`
    this.#cursors.set(id, rows)
    return id
  }

  /** The rows of an open cursor. */
  cursor(id: string): QueryResult {
    const rows = this.#cursors.get(id)
    if (rows === undefined) throw new ApiFault(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator')
    return rows
  }

  /** Now, as Salesforce writes datetimes: whole seconds, `+0000` (sheet §2.6). */
  timestamp(): string {
    const now = this.#clock()
    return `${new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().slice(0, 19)}.000+0000`
  }

  /** The org's clock. */
  now(): Date {
    return this.#clock()
  }

  // ------------------------------------------------------------------ internals

  #restore(saved: Tables, sequence: number): void {
    this.#tables = saved
    this.#sequence = sequence
    this.#indexes.clear()
  }

  #index(entity: string, field: string): Map<string, Set<string>> {
    const key = `${entity}.${field}`
    let index = this.#indexes.get(key)
    if (index === undefined) {
      index = new Map()
      for (const [id, stored] of this.#table(entity)) indexAdd(index, field, id, stored)
      this.#indexes.set(key, index)
    }
    return index
  }

  // Every write goes through here so the external-id indexes follow the table.
  #put(entity: string, id: string, next: Stored): void {
    const table = this.#table(entity)
    const previous = table.get(id)
    table.set(id, next)
    for (const [key, index] of this.#indexes) {
      if (!key.startsWith(`${entity}.`)) continue
      const field = key.slice(entity.length + 1)
      if (previous !== undefined) {
        const old = previous.fields[field]
        if (old !== undefined && old !== null) index.get(String(old).toLowerCase())?.delete(id)
      }
      indexAdd(index, field, id, next)
    }
  }

  #canonical(entity: string): string {
    return this.#schemas.get(entity.toLowerCase())?.name ?? entity
  }

  #schema(entity: string): SObjectSchema {
    let schema = this.#schemas.get(entity.toLowerCase())
    if (schema === undefined) {
      schema = new SObjectSchema(entity, [])
      this.#schemas.set(entity.toLowerCase(), schema)
      this.#tables.set(entity, new Map())
    }
    return schema
  }

  #table(entity: string): Map<string, Stored> {
    let table = this.#tables.get(entity)
    if (table === undefined) {
      table = new Map()
      this.#tables.set(entity, table)
    }
    return table
  }

  #find(entity: string, id: string): Stored | undefined {
    if (!/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(id)) return undefined
    return this.#table(entity).get(withChecksum(id.slice(0, 15)))
  }

  #live(entity: string, id: string): Stored {
    const stored = this.#find(entity, id)
    if (stored === undefined) throw new ApiFault(404, 'NOT_FOUND', NOT_FOUND)
    // Observed (not documented) for a record in the recycle bin (sheet §2.4).
    if (stored.deletedAt !== undefined) throw new ApiFault(404, 'ENTITY_IS_DELETED', 'entity is deleted')
    return stored
  }

  #byIdOrEmpty(entity: string, id: string): EntityRecord[] {
    const stored = this.#find(entity, id)
    return stored === undefined || stored.deletedAt !== undefined ? [] : [stored.fields]
  }

  #externalIdField(schema: SObjectSchema, field: string): FieldDef {
    const def = schema.field(field)
    // Sheet §2.5: an unknown or non-external-id field answers 404 NOT_FOUND.
    if (def === undefined || (!def.externalId && def.name !== 'Id')) {
      throw new ApiFault(404, 'NOT_FOUND', NOT_FOUND)
    }
    return def
  }

  // Field names are matched case-insensitively and stored with their API casing (sheet §2.1).
  #checkFields(schema: SObjectSchema, fields: EntityRecord): EntityRecord {
    const values: EntityRecord = {}
    for (const [name, value] of Object.entries(fields)) {
      if (name === 'attributes') continue
      const def = schema.field(name)
      if (def === undefined) {
        throw new ApiFault(
          400,
          'INVALID_FIELD',
          `No such column '${name}' on sobject of type ${schema.name}`,
          [name],
        )
      }
      if (def.system) {
        throw new ApiFault(
          400,
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${def.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [def.name],
        )
      }
      values[def.name] = value
    }
    return values
  }

  #checkUnique(schema: SObjectSchema, values: EntityRecord, id: string): void {
    for (const field of schema.fields.filter((candidate) => candidate.externalId)) {
      const value = values[field.name]
      if (value === undefined || value === null || value === '') continue
      const clash = this.findByField(schema.name, field.name, String(value)).find(
        (record) => record.Id !== id,
      )
      if (clash !== undefined) {
        throw new ApiFault(
          400,
          'DUPLICATE_VALUE',
          `duplicate value found: ${field.name} duplicates value on record with id: ${String(clash.Id)}`,
          [field.name],
        )
      }
    }
  }

  #nextId(entity: string): string {
    return recordId(this.keyPrefix(entity), ++this.#sequence)
  }
}

/** The rows a query matched, and how each is projected to the selected fields when served. */
export interface QueryResult {
  rows: EntityRecord[]
  totalSize: number
  project(record: EntityRecord): EntityRecord
}

/** The 300 answer of an upsert whose external id matches several records. */
export class MultipleChoices extends Error {
  override readonly name = 'MultipleChoices'
  constructor(readonly urls: readonly string[]) {
    super('several records match the external id')
  }
}

function indexAdd(index: Map<string, Set<string>>, field: string, id: string, stored: Stored): void {
  const value = stored.fields[field]
  if (stored.deletedAt !== undefined || value === undefined || value === null || value === '') return
  const key = String(value).toLowerCase()
  let ids = index.get(key)
  if (ids === undefined) {
    ids = new Set()
    index.set(key, ids)
  }
  ids.add(id)
}

function omitId(fields: EntityRecord): EntityRecord {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => name.toLowerCase() !== 'id'))
}

function checkConditionFields(condition: SoqlCondition, resolve: (path: string) => unknown): void {
  switch (condition.kind) {
    case 'and':
    case 'or':
      for (const operand of condition.operands) checkConditionFields(operand, resolve)
      return
    case 'not':
      checkConditionFields(condition.operand, resolve)
      return
    default:
      resolve(condition.field)
  }
}
