import type { SimEntitySet } from './service-catalog.js'
import type { SimRequest } from './sim-http.js'
import type { SimService } from './sim-service.js'
import { etagFor, type SimRecord, writeValue } from './sim-values.js'

/** Entities in the version's JSON: V2 `__metadata` + `__deferred` links, V4 `@odata.etag`. */
export class EntityView {
  readonly version: 'v2' | 'v4'
  constructor(
    private readonly service: SimService,
    readonly base: string,
    readonly ieee754: boolean,
  ) {
    this.version = service.definition.version
  }

  keyPredicate(set: SimEntitySet, record: SimRecord): string {
    const literal = (name: string) => {
      const type = set.properties.find((property) => property.name === name)?.type
      const value = String(record[name])
      if (type === 'Edm.Guid') return this.version === 'v2' ? `guid'${value}'` : value
      return encodeURIComponent(`'${value.replaceAll("'", "''")}'`)
    }
    // As Gateway writes it: a single key positionally, a composite one by name (sheet §1.4, §1.6).
    return set.keys.length === 1
      ? `(${literal(set.keys[0] as string)})`
      : `(${set.keys.map((key) => `${key}=${literal(key)}`).join(',')})`
  }

  entity(set: SimEntitySet, record: SimRecord, request: SimRequest | undefined): Record<string, unknown> {
    const params = request?.url.searchParams
    const select = params
      ?.get('$select')
      ?.split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '' && !item.includes('/'))
    const expand = new Set(
      params
        ?.get('$expand')
        ?.split(',')
        .map((item) => item.trim().split('/')[0] ?? '') ?? [],
    )
    const uri = `${this.base}/${set.name}${this.keyPredicate(set, record)}`
    const out: Record<string, unknown> = {}
    const etag =
      set.concurrency === undefined ? undefined : etagFor(record[set.concurrency] as number, this.version)
    if (this.version === 'v2')
      out.__metadata = {
        id: uri,
        uri,
        type: `${this.service.definition.namespace}.${set.typeName}`,
        ...(etag === undefined ? {} : { etag }),
      }
    else if (etag !== undefined) out['@odata.etag'] = etag
    for (const property of set.properties) {
      if (select !== undefined && select.length > 0 && !select.includes(property.name)) continue
      out[property.name] = writeValue(record[property.name], property, this.version, this.ieee754)
    }
    for (const nav of set.navigation) {
      if (expand.has(nav.name)) {
        const target = this.service.navigate(set.name, record, nav.name)
        const entities = target.records.map((child) => this.entity(target.set, child, undefined))
        out[nav.name] = nav.many
          ? this.version === 'v2'
            ? { results: entities }
            : entities
          : (entities[0] ?? null)
      } else if (this.version === 'v2' && (select === undefined || select.length === 0)) {
        out[nav.name] = { __deferred: { uri: `${uri}/${nav.name}` } }
      }
    }
    return out
  }
}
