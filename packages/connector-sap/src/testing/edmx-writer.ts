import { XMLBuilder } from 'fast-xml-parser'
import type { SimEntitySet, SimProperty, SimServiceDefinition } from './service-catalog.js'

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  suppressEmptyNode: true,
  format: true,
})

/** The service's `$metadata` as SAP writes it: EDMX 1.0 with SAP annotations (V2), or EDMX 4.0 (V4). */
export function writeEdmx(service: SimServiceDefinition): string {
  return service.version === 'v2' ? v2Edmx(service) : v4Edmx(service)
}

function v2Edmx(service: SimServiceDefinition): string {
  const ns = service.namespace
  return builder.build({
    'edmx:Edmx': {
      '@Version': '1.0',
      '@xmlns:edmx': 'http://schemas.microsoft.com/ado/2007/06/edmx',
      '@xmlns:m': 'http://schemas.microsoft.com/ado/2007/08/dataservices/metadata',
      '@xmlns:sap': 'http://www.sap.com/Protocols/SAPData',
      'edmx:DataServices': {
        '@m:DataServiceVersion': '2.0',
        Schema: {
          '@Namespace': ns,
          '@xml:lang': 'en',
          '@sap:schema-version': '1',
          '@xmlns': 'http://schemas.microsoft.com/ado/2008/09/edm',
          EntityType: service.sets.map((set) => ({
            '@Name': set.typeName,
            '@sap:content-version': '1',
            Key: { PropertyRef: set.keys.map((key) => ({ '@Name': key })) },
            Property: set.properties.map((property) => v2Property(set, property)),
            NavigationProperty: set.navigation.map((nav) => ({
              '@Name': nav.name,
              '@Relationship': `${ns}.assoc_${set.name}_${nav.name}`,
              '@FromRole': 'FromRole',
              '@ToRole': 'ToRole',
            })),
          })),
          EntityContainer: {
            '@Name': `${ns}_Entities`,
            '@m:IsDefaultEntityContainer': 'true',
            '@sap:supported-formats': 'atom json xlsx',
            EntitySet: service.sets.map((set) => ({
              '@Name': set.name,
              '@EntityType': `${ns}.${set.typeName}`,
              ...(set.creatable ? {} : { '@sap:creatable': 'false' }),
              ...(set.updatable ? {} : { '@sap:updatable': 'false' }),
              ...(set.deletable ? {} : { '@sap:deletable': 'false' }),
              '@sap:content-version': '1',
            })),
          },
        },
      },
    },
  }) as string
}

function v2Property(set: SimEntitySet, property: SimProperty): Record<string, string> {
  return {
    '@Name': property.name,
    '@Type': property.type,
    ...(set.keys.includes(property.name) ? { '@Nullable': 'false' } : {}),
    ...(property.maxLength === undefined ? {} : { '@MaxLength': String(property.maxLength) }),
    ...(property.precision === undefined ? {} : { '@Precision': String(property.precision) }),
    ...(property.scale === undefined ? {} : { '@Scale': String(property.scale) }),
    ...(set.concurrency === property.name ? { '@ConcurrencyMode': 'Fixed' } : {}),
    ...(property.displayFormat === undefined ? {} : { '@sap:display-format': property.displayFormat }),
  }
}

function v4Edmx(service: SimServiceDefinition): string {
  const ns = service.namespace
  return builder.build({
    'edmx:Edmx': {
      '@Version': '4.0',
      '@xmlns:edmx': 'http://docs.oasis-open.org/odata/ns/edmx',
      'edmx:DataServices': {
        Schema: {
          '@Namespace': ns,
          '@Alias': 'SAP__self',
          '@xmlns': 'http://docs.oasis-open.org/odata/ns/edm',
          EntityType: service.sets.map((set) => ({
            '@Name': set.typeName,
            Key: { PropertyRef: set.keys.map((key) => ({ '@Name': key })) },
            Property: set.properties.map((property) => ({
              '@Name': property.name,
              '@Type': property.type,
              ...(set.keys.includes(property.name) ? { '@Nullable': 'false' } : {}),
              ...(property.maxLength === undefined ? {} : { '@MaxLength': String(property.maxLength) }),
              ...(property.scale === undefined ? {} : { '@Scale': String(property.scale) }),
            })),
            NavigationProperty: set.navigation.map((nav) => ({
              '@Name': nav.name,
              '@Type': nav.many
                ? `Collection(${ns}.${targetType(service, nav.target)})`
                : `${ns}.${targetType(service, nav.target)}`,
            })),
          })),
          EntityContainer: {
            '@Name': 'Container',
            EntitySet: service.sets.map((set) => ({
              '@Name': set.name,
              '@EntityType': `${ns}.${set.typeName}`,
            })),
          },
          Annotations: service.sets
            .filter((set) => set.concurrency !== undefined)
            .map((set) => ({
              '@Target': `${ns}.Container/${set.name}`,
              Annotation: {
                '@Term': 'SAP__core.OptimisticConcurrency',
                Collection: { PropertyPath: [set.concurrency] },
              },
            })),
        },
      },
    },
  }) as string
}

function targetType(service: SimServiceDefinition, target: string): string {
  return service.sets.find((set) => set.name === target)?.typeName ?? target
}
