import type { EntityRecord } from '@junction/core'
import { ApiFault } from './api-fault.js'
import type { FieldDef, SObjectSchema } from './sobject-schema.js'

/**
 * Field paths of queries and reads: resolving `Account.Name` through relationships, reading it from a
 * stored record, and projecting records to the selected paths as the REST API shapes them.
 */
export class FieldPaths {
  readonly #schemas: (name: string) => SObjectSchema | undefined
  readonly #find: (entity: string, id: string) => EntityRecord | undefined

  constructor(
    schemas: (lowerCaseName: string) => SObjectSchema | undefined,
    find: (entity: string, id: string) => EntityRecord | undefined,
  ) {
    this.#schemas = schemas
    this.#find = find
  }

  /** The canonical casing of a field path (`account.name` → `Account.Name`) and its field; 400 `INVALID_FIELD` when unknown. */
  resolve(schema: SObjectSchema, path: string): { path: string; def: FieldDef } {
    const parts = path.split('.')
    let current = schema
    const canonical: string[] = []
    for (const [index, part] of parts.entries()) {
      if (index === parts.length - 1) {
        const def = current.field(part)
        if (def === undefined) {
          throw new ApiFault(
            400,
            'INVALID_FIELD',
            `\n${path}\n^\nERROR at Row:1:Column:1\nNo such column '${part}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
          )
        }
        canonical.push(def.name)
        return { path: canonical.join('.'), def }
      }
      const relationship = current.relationship(part)
      const target = relationship?.referenceTo[0]
      const next = target === undefined ? undefined : this.#schemas(target.toLowerCase())
      if (relationship === undefined || next === undefined) {
        throw new ApiFault(
          400,
          'INVALID_FIELD',
          `Didn't understand relationship '${part}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`,
        )
      }
      canonical.push(relationship.relationshipName as string)
      current = next
    }
    throw new ApiFault(400, 'INVALID_FIELD', `No such column '${path}'`)
  }

  /** Reads `Name` or `Account.Owner.Name` from a stored record, following reference ids. */
  read(schema: SObjectSchema, record: EntityRecord, path: string): unknown {
    const parts = path.split('.')
    let current = schema
    let row: EntityRecord | undefined = record
    for (const [index, part] of parts.entries()) {
      if (row === undefined) return null
      if (index === parts.length - 1) return row[current.field(part)?.name ?? part]
      const relationship = current.relationship(part)
      const target = relationship?.referenceTo[0]
      const next = target === undefined ? undefined : this.#schemas(target.toLowerCase())
      if (relationship === undefined || next === undefined) return null
      const parentId: unknown = row[relationship.name]
      row = typeof parentId === 'string' ? this.#find(next.name, parentId) : undefined
      current = next
    }
    return null
  }

  /** A record with its `attributes` and the named fields, resolved first. */
  project(
    version: string,
    schema: SObjectSchema,
    record: EntityRecord,
    names: readonly string[],
  ): EntityRecord {
    return this.projectPaths(
      version,
      schema,
      record,
      names.map((name) => this.resolve(schema, name).path),
    )
  }

  /**
   * A record with its `attributes` and the given canonical paths; parent fields nest under the
   * relationship name with their own `attributes`, a missing parent is `null` (sheet §3.3, widely observed).
   */
  projectPaths(
    version: string,
    schema: SObjectSchema,
    record: EntityRecord,
    paths: readonly string[],
  ): EntityRecord {
    const out: EntityRecord = { attributes: attributes(version, schema.name, record.Id) }
    for (const path of paths) {
      if (!path.includes('.')) {
        out[path] = record[path] ?? null
        continue
      }
      const parts = path.split('.')
      let target = out
      let current = schema
      let row: EntityRecord | undefined = record
      for (const [index, part] of parts.entries()) {
        if (index === parts.length - 1) {
          target[part] = row?.[part] ?? null
          break
        }
        const relationship = current.relationship(part) as FieldDef
        const next = this.#schemas(String(relationship.referenceTo[0]).toLowerCase()) as SObjectSchema
        const parentId: unknown = row?.[relationship.name]
        const parent: EntityRecord | undefined =
          typeof parentId === 'string' ? this.#find(next.name, parentId) : undefined
        if (parent === undefined) {
          target[part] = null
          break
        }
        const existing = target[part]
        const nested =
          typeof existing === 'object' && existing !== null
            ? (existing as EntityRecord)
            : { attributes: attributes(version, next.name, parent.Id) }
        target[part] = nested
        target = nested
        current = next
        row = parent
      }
    }
    return out
  }
}

function attributes(version: string, entity: string, id: unknown): { type: string; url: string } {
  return { type: entity, url: `/services/data/${version}/sobjects/${entity}/${String(id)}` }
}
