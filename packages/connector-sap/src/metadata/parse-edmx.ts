import { TransportError } from '@junction/core'
import { XMLParser } from 'fast-xml-parser'
import type { EdmProperty, EntitySetInfo, ODataVersion, ServiceMetadata } from './service-metadata.js'

type Node = Record<string, unknown>

// Elements that may repeat are always arrays, so one element and many read the same way.
const REPEATED = new Set([
  'Schema',
  'EntityType',
  'Property',
  'PropertyRef',
  'NavigationProperty',
  'EntitySet',
  'EntityContainer',
  'Annotations',
  'Annotation',
  'PropertyPath',
  'FunctionImport',
])

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // `sap:creatable` and `edmx:DataServices` are read by their local names.
  removeNSPrefix: true,
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => REPEATED.has(name),
})

const OPTIMISTIC_CONCURRENCY = /(^|\.)OptimisticConcurrency$/

/**
 * Parses a V2 (EDMX 1.0) or V4 (EDMX 4.0/4.01) `$metadata` document into entity sets with their keys,
 * property types, navigation, SAP's creatable/updatable/deletable flags and the ETag source.
 */
export function parseEdmx(xml: string): ServiceMetadata {
  let document: Node
  try {
    document = parser.parse(xml) as Node
  } catch (error) {
    throw malformed(`$metadata is not XML (${(error as Error).message})`)
  }
  const edmx = child(document, 'Edmx')
  if (edmx === undefined) throw malformed('$metadata has no edmx:Edmx root')
  const version: ODataVersion = String(edmx['@Version'] ?? '').startsWith('4') ? 'v4' : 'v2'
  const schemas = list(child(edmx, 'DataServices'), 'Schema')
  const types = new Map<string, Node>()
  for (const schema of schemas) {
    const namespace = String(schema['@Namespace'] ?? '')
    const alias = schema['@Alias']
    for (const type of list(schema, 'EntityType')) {
      types.set(`${namespace}.${String(type['@Name'])}`, type)
      if (typeof alias === 'string') types.set(`${alias}.${String(type['@Name'])}`, type)
    }
  }
  const setConcurrency = annotatedConcurrency(schemas)
  const entitySets = new Map<string, EntitySetInfo>()
  for (const schema of schemas) {
    for (const container of list(schema, 'EntityContainer')) {
      const containerName = `${String(schema['@Namespace'] ?? '')}.${String(container['@Name'] ?? '')}`
      for (const set of list(container, 'EntitySet')) {
        const name = String(set['@Name'])
        const typeName = String(set['@EntityType'])
        const type = types.get(typeName)
        if (type === undefined) throw malformed(`entity set ${name} names an unknown type ${typeName}`)
        entitySets.set(
          name,
          entitySetInfo(name, typeName, type, set, [
            ...inlineConcurrency(set),
            ...(setConcurrency.get(`${containerName}/${name}`) ?? []),
          ]),
        )
      }
    }
  }
  return { version, entitySets }
}

function entitySetInfo(
  name: string,
  entityType: string,
  type: Node,
  set: Node,
  annotated: readonly string[],
): EntitySetInfo {
  const properties = new Map<string, EdmProperty>()
  const fixed: string[] = []
  for (const property of list(type, 'Property')) {
    const propertyName = String(property['@Name'])
    properties.set(propertyName, {
      name: propertyName,
      type: String(property['@Type']),
      nullable: property['@Nullable'] !== 'false',
      displayFormat: optionalText(property['@display-format']),
    })
    if (property['@ConcurrencyMode'] === 'Fixed') fixed.push(propertyName)
  }
  return {
    name,
    entityType,
    keys: list(child(type, 'Key'), 'PropertyRef').map((ref) => String(ref['@Name'])),
    properties,
    navigation: list(type, 'NavigationProperty').map((nav) => String(nav['@Name'])),
    creatable: set['@creatable'] !== 'false',
    updatable: set['@updatable'] !== 'false',
    deletable: set['@deletable'] !== 'false',
    concurrency: [...fixed, ...annotated],
  }
}

// V4: `<EntitySet …><Annotation Term="Core.OptimisticConcurrency"><Collection><PropertyPath>…`
function inlineConcurrency(set: Node): string[] {
  return list(set, 'Annotation')
    .filter((annotation) => OPTIMISTIC_CONCURRENCY.test(String(annotation['@Term'])))
    .flatMap((annotation) =>
      list(child(annotation, 'Collection'), 'PropertyPath').map((path) => String(path['#text'])),
    )
}

// V4 out-of-line: `<Annotations Target="Namespace.Container/EntitySet">` holding the same annotation.
function annotatedConcurrency(schemas: readonly Node[]): Map<string, string[]> {
  const found = new Map<string, string[]>()
  for (const schema of schemas) {
    for (const annotations of list(schema, 'Annotations')) {
      const paths = inlineConcurrency(annotations)
      if (paths.length > 0) found.set(String(annotations['@Target']), paths)
    }
  }
  return found
}

function child(node: unknown, name: string): Node | undefined {
  if (typeof node !== 'object' || node === null) return undefined
  const value = (node as Node)[name]
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'object' && first !== null ? (first as Node) : undefined
}

function list(node: unknown, name: string): Node[] {
  if (typeof node !== 'object' || node === null) return []
  const value = (node as Node)[name]
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).map((item) =>
    typeof item === 'object' && item !== null ? (item as Node) : ({ '#text': item } as Node),
  )
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function malformed(message: string): TransportError {
  return new TransportError({ code: 'MALFORMED_RESPONSE', message: `sap: ${message}`, system: 'sap' })
}
