import { describe, expect, it } from 'vitest'
import { writeEdmx } from '../testing/edmx-writer.js'
import { SALES_ORDER_V4_SERVICE } from '../testing/service-catalog.js'
import { parseEdmx } from './parse-edmx.js'

// The shape of sheet §1.1, trimmed.
const V2 = `<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx"
  xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" xmlns:sap="http://www.sap.com/Protocols/SAPData">
 <edmx:DataServices m:DataServiceVersion="2.0">
  <Schema Namespace="API_SALES_ORDER_SRV" xml:lang="en" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
   <EntityType Name="A_SalesOrderType" sap:content-version="1">
    <Key><PropertyRef Name="SalesOrder"/></Key>
    <Property Name="SalesOrder" Type="Edm.String" Nullable="false" MaxLength="10" sap:display-format="UpperCase"/>
    <Property Name="CreationDate" Type="Edm.DateTime" Precision="0" sap:display-format="Date"/>
    <Property Name="LastChangeDateTime" Type="Edm.DateTimeOffset" Precision="7" ConcurrencyMode="Fixed"/>
    <Property Name="TotalNetAmount" Type="Edm.Decimal" Precision="16" Scale="3"/>
    <NavigationProperty Name="to_Item" Relationship="API_SALES_ORDER_SRV.assoc_X" FromRole="F" ToRole="T"/>
   </EntityType>
   <EntityContainer Name="API_SALES_ORDER_SRV_Entities" m:IsDefaultEntityContainer="true">
    <EntitySet Name="A_SalesOrder" EntityType="API_SALES_ORDER_SRV.A_SalesOrderType" sap:deletable="false"/>
   </EntityContainer>
  </Schema>
 </edmx:DataServices>
</edmx:Edmx>`

describe('parseEdmx', () => {
  it('reads a V2 entity set with keys, types, display format, flags and the ConcurrencyMode property', () => {
    const metadata = parseEdmx(V2)
    const set = metadata.entitySets.get('A_SalesOrder')
    expect(metadata.version).toBe('v2')
    expect(set).toMatchObject({
      keys: ['SalesOrder'],
      navigation: ['to_Item'],
      creatable: true,
      deletable: false,
      concurrency: ['LastChangeDateTime'],
    })
    expect(set?.properties.get('CreationDate')).toEqual({
      name: 'CreationDate',
      type: 'Edm.DateTime',
      nullable: true,
      displayFormat: 'Date',
    })
    expect(set?.properties.get('TotalNetAmount')?.type).toBe('Edm.Decimal')
  })

  it('reads a V4 document with OptimisticConcurrency in out-of-line annotations', () => {
    const metadata = parseEdmx(writeEdmx(SALES_ORDER_V4_SERVICE))
    expect(metadata.version).toBe('v4')
    expect(metadata.entitySets.get('SalesOrder')).toMatchObject({
      keys: ['SalesOrder'],
      navigation: ['_Item'],
      concurrency: ['LastChangeDateTime'],
    })
    expect(metadata.entitySets.get('SalesOrderItem')?.keys).toEqual(['SalesOrder', 'SalesOrderItem'])
  })

  it('refuses a document that is not EDMX', () => {
    expect(() => parseEdmx('<html><body>Logon</body></html>')).toThrow(
      expect.objectContaining({ code: 'MALFORMED_RESPONSE' }),
    )
  })
})
