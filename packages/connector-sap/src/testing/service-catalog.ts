/** One property of a simulated entity type. */
export interface SimProperty {
  name: string
  type: string
  /** V2 `sap:display-format`, e.g. `Date`. */
  displayFormat?: string
  maxLength?: number
  precision?: number
  scale?: number
}

/** A navigation property: the target set and how its records link to the source's. */
export interface SimNavigation {
  name: string
  target: string
  many: boolean
  /** Target property → source property. */
  on: Readonly<Record<string, string>>
}

/** An entity set of a simulated service, with its type. */
export interface SimEntitySet {
  name: string
  typeName: string
  keys: readonly string[]
  properties: readonly SimProperty[]
  navigation: readonly SimNavigation[]
  creatable: boolean
  updatable: boolean
  deletable: boolean
  /** The ETag source (V2 `ConcurrencyMode="Fixed"`, V4 `Core.OptimisticConcurrency`). */
  concurrency?: string
  /** How the service numbers a created record's key when the payload has none. */
  keyNumbering?: { property: string; start: number; width?: number }
}

/** A simulated OData service: where it lives, its version and its sets. */
export interface SimServiceDefinition {
  /** The V2 service name or the V4 service path's identity. */
  name: string
  version: 'v2' | 'v4'
  /** The service root path, without a trailing slash. */
  path: string
  namespace: string
  sets: readonly SimEntitySet[]
}

const p = (name: string, type: string, extra: Omit<SimProperty, 'name' | 'type'> = {}): SimProperty => ({
  name,
  type,
  ...extra,
})
const str = (name: string, maxLength: number) => p(name, 'Edm.String', { maxLength })
const date = (name: string) => p(name, 'Edm.DateTime', { displayFormat: 'Date', precision: 0 })
const dec = (name: string, precision: number, scale: number) => p(name, 'Edm.Decimal', { precision, scale })

const set = (
  fields: Omit<SimEntitySet, 'creatable' | 'updatable' | 'deletable' | 'navigation'> & Partial<SimEntitySet>,
): SimEntitySet => ({
  creatable: true,
  updatable: true,
  deletable: true,
  navigation: [],
  ...fields,
})

/** API_BUSINESS_PARTNER (sheet §1.2): no LastChangeDateTime, only LastChangeDate + LastChangeTime. */
export const BUSINESS_PARTNER_SERVICE: SimServiceDefinition = {
  name: 'API_BUSINESS_PARTNER',
  version: 'v2',
  path: '/sap/opu/odata/sap/API_BUSINESS_PARTNER',
  namespace: 'API_BUSINESS_PARTNER',
  sets: [
    set({
      name: 'A_BusinessPartner',
      typeName: 'A_BusinessPartnerType',
      keys: ['BusinessPartner'],
      deletable: false,
      properties: [
        str('BusinessPartner', 10),
        str('BusinessPartnerCategory', 1),
        str('BusinessPartnerFullName', 81),
        str('FirstName', 40),
        str('LastName', 40),
        str('OrganizationBPName1', 40),
        p('BusinessPartnerUUID', 'Edm.Guid'),
        date('CreationDate'),
        date('LastChangeDate'),
        p('LastChangeTime', 'Edm.Time', { precision: 0 }),
      ],
      navigation: [
        {
          name: 'to_BusinessPartnerAddress',
          target: 'A_BusinessPartnerAddress',
          many: true,
          on: { BusinessPartner: 'BusinessPartner' },
        },
        { name: 'to_Customer', target: 'A_Customer', many: false, on: { Customer: 'BusinessPartner' } },
      ],
      keyNumbering: { property: 'BusinessPartner', start: 1_000_000 },
    }),
    set({
      name: 'A_BusinessPartnerAddress',
      typeName: 'A_BusinessPartnerAddressType',
      keys: ['BusinessPartner', 'AddressID'],
      properties: [
        str('BusinessPartner', 10),
        str('AddressID', 10),
        str('CityName', 40),
        str('PostalCode', 10),
        str('StreetName', 60),
        str('Country', 3),
      ],
      keyNumbering: { property: 'AddressID', start: 1 },
    }),
    set({
      name: 'A_Customer',
      typeName: 'A_CustomerType',
      keys: ['Customer'],
      creatable: false,
      deletable: false,
      properties: [str('Customer', 10), str('CustomerName', 80), str('CustomerAccountGroup', 4)],
    }),
    set({
      name: 'A_Supplier',
      typeName: 'A_SupplierType',
      keys: ['Supplier'],
      properties: [str('Supplier', 10), str('SupplierName', 80)],
    }),
  ],
}

/** API_SALES_ORDER_SRV: A_SalesOrder (ETag on LastChangeDateTime) with its items. */
export const SALES_ORDER_SERVICE: SimServiceDefinition = {
  name: 'API_SALES_ORDER_SRV',
  version: 'v2',
  path: '/sap/opu/odata/sap/API_SALES_ORDER_SRV',
  namespace: 'API_SALES_ORDER_SRV',
  sets: [
    set({
      name: 'A_SalesOrder',
      typeName: 'A_SalesOrderType',
      keys: ['SalesOrder'],
      concurrency: 'LastChangeDateTime',
      properties: [
        str('SalesOrder', 10),
        str('SalesOrderType', 4),
        str('SalesOrganization', 4),
        str('DistributionChannel', 2),
        str('OrganizationDivision', 2),
        str('SoldToParty', 10),
        str('PurchaseOrderByCustomer', 35),
        date('CreationDate'),
        date('SalesOrderDate'),
        p('LastChangeDateTime', 'Edm.DateTimeOffset', { precision: 7 }),
        dec('TotalNetAmount', 16, 3),
        str('TransactionCurrency', 5),
        str('OverallSDProcessStatus', 1),
      ],
      navigation: [
        { name: 'to_Item', target: 'A_SalesOrderItem', many: true, on: { SalesOrder: 'SalesOrder' } },
      ],
      keyNumbering: { property: 'SalesOrder', start: 4711 },
    }),
    set({
      name: 'A_SalesOrderItem',
      typeName: 'A_SalesOrderItemType',
      keys: ['SalesOrder', 'SalesOrderItem'],
      properties: [
        str('SalesOrder', 10),
        p('SalesOrderItem', 'Edm.String', { maxLength: 6, displayFormat: 'NonNegative' }),
        str('Material', 40),
        dec('RequestedQuantity', 15, 3),
        str('RequestedQuantityUnit', 3),
        dec('NetAmount', 16, 3),
        str('ProductionPlant', 4),
      ],
      keyNumbering: { property: 'SalesOrderItem', start: 10 },
    }),
  ],
}

/** API_PRODUCT_SRV: A_Product (not deletable). */
export const PRODUCT_SERVICE: SimServiceDefinition = {
  name: 'API_PRODUCT_SRV',
  version: 'v2',
  path: '/sap/opu/odata/sap/API_PRODUCT_SRV',
  namespace: 'API_PRODUCT_SRV',
  sets: [
    set({
      name: 'A_Product',
      typeName: 'A_ProductType',
      keys: ['Product'],
      deletable: false,
      properties: [
        str('Product', 40),
        str('ProductType', 4),
        str('BaseUnit', 3),
        str('ProductGroup', 9),
        date('CreationDate'),
        date('LastChangeDate'),
        p('LastChangeDateTime', 'Edm.DateTimeOffset', { precision: 7 }),
        p('IsMarkedForDeletion', 'Edm.Boolean'),
        dec('GrossWeight', 13, 3),
        p('SerialNumberCount', 'Edm.Int64'),
      ],
    }),
  ],
}

/** The V4 sales order API (sheet §0: URL UNVERIFIED): `SalesOrder` with `_Item`, Edm.Date fields. */
export const SALES_ORDER_V4_SERVICE: SimServiceDefinition = {
  name: 'api_salesorder',
  version: 'v4',
  path: '/sap/opu/odata4/sap/api_salesorder/srvd_a2x/sap/salesorder/0001',
  namespace: 'com.sap.gateway.srvd_a2x.api_salesorder.v0001',
  sets: [
    set({
      name: 'SalesOrder',
      typeName: 'SalesOrderType',
      keys: ['SalesOrder'],
      concurrency: 'LastChangeDateTime',
      properties: [
        str('SalesOrder', 10),
        str('SalesOrderType', 4),
        str('SoldToParty', 10),
        str('PurchaseOrderByCustomer', 35),
        p('SalesOrderDate', 'Edm.Date'),
        p('LastChangeDateTime', 'Edm.DateTimeOffset', { precision: 7 }),
        dec('TotalNetAmount', 16, 3),
        str('TransactionCurrency', 5),
        p('SalesOrderUUID', 'Edm.Guid'),
      ],
      navigation: [{ name: '_Item', target: 'SalesOrderItem', many: true, on: { SalesOrder: 'SalesOrder' } }],
      keyNumbering: { property: 'SalesOrder', start: 8000 },
    }),
    set({
      name: 'SalesOrderItem',
      typeName: 'SalesOrderItemType',
      keys: ['SalesOrder', 'SalesOrderItem'],
      properties: [
        str('SalesOrder', 10),
        str('SalesOrderItem', 6),
        str('Product', 40),
        dec('RequestedQuantity', 15, 3),
      ],
      keyNumbering: { property: 'SalesOrderItem', start: 10 },
    }),
  ],
}

/** Every service the simulator serves. */
export const SERVICES: readonly SimServiceDefinition[] = [
  BUSINESS_PARTNER_SERVICE,
  SALES_ORDER_SERVICE,
  PRODUCT_SERVICE,
  SALES_ORDER_V4_SERVICE,
]
