/** The OData protocol version of a service. */
export type ODataVersion = 'v2' | 'v4'

/** One property of an entity type, as `$metadata` declares it. */
export interface EdmProperty {
  name: string
  /** The EDM type, e.g. `Edm.Decimal`. */
  type: string
  nullable: boolean
  /** V2 `sap:display-format` (`Date` marks an Edm.DateTime that is a pure date). */
  displayFormat?: string | undefined
}

/** An entity set with what the connector needs from its entity type. */
export interface EntitySetInfo {
  name: string
  /** The qualified entity type, e.g. `API_SALES_ORDER_SRV.A_SalesOrderType`. */
  entityType: string
  /** Key properties, in declared order. */
  keys: readonly string[]
  properties: ReadonlyMap<string, EdmProperty>
  navigation: readonly string[]
  /** V2 `sap:creatable|updatable|deletable` (absent means true). */
  creatable: boolean
  updatable: boolean
  deletable: boolean
  /** The ETag source: V2 `ConcurrencyMode="Fixed"` properties, V4 `Core.OptimisticConcurrency`. */
  concurrency: readonly string[]
}

/** What the connector knows about a service from its `$metadata`. */
export interface ServiceMetadata {
  version: ODataVersion
  entitySets: ReadonlyMap<string, EntitySetInfo>
}
