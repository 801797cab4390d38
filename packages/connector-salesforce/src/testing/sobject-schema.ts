import type { EntityRecord } from '@junction/core'

/** A field type as describe reports it. */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'boolean'
  | 'double'
  | 'int'
  | 'currency'
  | 'date'
  | 'datetime'
  | 'reference'
  | 'picklist'
  | 'email'
  | 'phone'

/** How a test declares a field the seed records do not show (or shows with the wrong type). */
export interface FieldDeclaration {
  type?: FieldType
  /** An external-id field (upsert key); external ids are also unique here. */
  externalId?: boolean
  /** For references: the sObjects the field points at. */
  referenceTo?: readonly string[]
  /** Required on create. */
  required?: boolean
}

/** One field of an sObject in the simulated org. */
export interface FieldDef {
  name: string
  type: FieldType
  externalId: boolean
  required: boolean
  system: boolean
  referenceTo: readonly string[]
  relationshipName: string | null
}

const SYSTEM_FIELDS: ReadonlyArray<[string, FieldType]> = [
  ['Id', 'id'],
  ['IsDeleted', 'boolean'],
  ['CreatedDate', 'datetime'],
  ['LastModifiedDate', 'datetime'],
  ['SystemModstamp', 'datetime'],
]

const SOAP_TYPES: Readonly<Record<FieldType, string>> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
}

const DATETIME_VALUE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/
const DATE_VALUE = /^\d{4}-\d{2}-\d{2}$/

/** The fields of one sObject, looked up case-insensitively as SOQL and the REST API do. */
export class SObjectSchema {
  readonly name: string
  readonly #fields = new Map<string, FieldDef>()

  constructor(name: string, required: readonly string[]) {
    this.name = name
    for (const [field, type] of SYSTEM_FIELDS) this.#add(field, { type }, true)
    for (const field of required) this.#add(field, { type: 'string', required: true }, false)
  }

  /** Every field, in the order they became known. */
  get fields(): FieldDef[] {
    return [...this.#fields.values()]
  }

  /** A field by name, any case. */
  field(name: string): FieldDef | undefined {
    return this.#fields.get(name.toLowerCase())
  }

  /** A relationship (`Account`, `Owner`, `Parent__r`) by name, any case. */
  relationship(name: string): FieldDef | undefined {
    const lower = name.toLowerCase()
    return this.fields.find((field) => field.relationshipName?.toLowerCase() === lower)
  }

  /** Declares or redeclares a field. */
  declare(name: string, declaration: FieldDeclaration): void {
    this.#add(name, declaration, false)
  }

  /** Learns the fields of a seed record, inferring types from the values. */
  learn(record: EntityRecord): void {
    for (const [name, value] of Object.entries(record)) {
      if (name === 'attributes' || this.field(name) !== undefined) continue
      this.#add(name, { type: inferType(name, value) }, false)
    }
  }

  #add(name: string, declaration: FieldDeclaration, system: boolean): void {
    const existing = this.field(name)
    const type = declaration.type ?? existing?.type ?? 'string'
    const referenceTo =
      declaration.referenceTo ?? (type === 'reference' ? referenceTarget(this.name, name) : [])
    this.#fields.set(name.toLowerCase(), {
      name: existing?.name ?? name,
      type,
      externalId: declaration.externalId ?? existing?.externalId ?? false,
      required: declaration.required ?? existing?.required ?? false,
      system: existing?.system ?? system,
      referenceTo,
      relationshipName: type === 'reference' ? relationshipName(name) : null,
    })
  }

  /** `GET sobjects/{name}/describe`, with the keys clients read (sheet §2.3). */
  describe(version: string, keyPrefix: string): Record<string, unknown> {
    const urls = sobjectUrls(version, this.name)
    return {
      ...globalEntry(version, this.name, keyPrefix),
      urls,
      fields: this.fields.map((field) => ({
        name: field.name,
        label: field.name.replace(/__c$/, '').replace(/_/g, ' '),
        type: field.type,
        soapType: SOAP_TYPES[field.type],
        length: field.type === 'string' ? 255 : field.type === 'id' || field.type === 'reference' ? 18 : 0,
        nillable: !field.required && !field.system,
        createable: !field.system,
        updateable: !field.system,
        custom: field.name.endsWith('__c'),
        externalId: field.externalId,
        idLookup: field.externalId || field.name === 'Id',
        unique: field.externalId,
        calculated: false,
        filterable: true,
        sortable: true,
        groupable: field.type !== 'double',
        defaultedOnCreate: field.system,
        referenceTo: field.referenceTo,
        relationshipName: field.relationshipName,
        picklistValues: [],
      })),
      childRelationships: [],
      recordTypeInfos: [],
    }
  }
}

/** The describe-global entry of an sObject. */
export function globalEntry(version: string, name: string, keyPrefix: string): Record<string, unknown> {
  return {
    name,
    label: name.replace(/__c$/, ''),
    labelPlural: `${name.replace(/__c$/, '')}s`,
    keyPrefix,
    custom: name.endsWith('__c'),
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    retrieveable: true,
    searchable: true,
    replicateable: true,
    triggerable: true,
    undeletable: true,
    layoutable: true,
    urls: sobjectUrls(version, name),
  }
}

function sobjectUrls(version: string, name: string): Record<string, string> {
  const base = `/services/data/${version}/sobjects/${name}`
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` }
}

function inferType(name: string, value: unknown): FieldType {
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double'
  if (typeof value !== 'string') return 'string'
  if (DATETIME_VALUE.test(value)) return 'datetime'
  if (DATE_VALUE.test(value)) return 'date'
  if (/Id$/.test(name) && name !== 'Id' && /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(value))
    return 'reference'
  return 'string'
}

// `AccountId` → `Account`, `Parent__c` → `Parent__r` (standard and custom naming rules).
function relationshipName(field: string): string | null {
  if (field.endsWith('__c')) return `${field.slice(0, -3)}__r`
  if (field.endsWith('Id') && field.length > 2) return field.slice(0, -2)
  return null
}

function referenceTarget(entity: string, field: string): string[] {
  const relationship = relationshipName(field)
  if (relationship === null) return []
  if (relationship === 'Parent') return [entity]
  if (['Owner', 'CreatedBy', 'LastModifiedBy'].includes(relationship)) return ['User']
  return [relationship.endsWith('__r') ? `${relationship.slice(0, -3)}__c` : relationship]
}
