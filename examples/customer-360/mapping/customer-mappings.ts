import { convert, customerSchema, defineMapping } from '@junction/core'
import { countryCode } from './country-code.js'

/** Salesforce `Account` → canonical Customer (`VAT_Number__c` is the org's custom VAT field). */
export const customerFromSalesforce = defineMapping({
  name: 'salesforce.Account→Customer',
  to: customerSchema,
  fields: {
    sourceIds: { salesforce: ['Id', convert.salesforceId] },
    name: ['Name', convert.trim],
    taxId: ['VAT_Number__c', convert.trim],
    duns: ['DunsNumber', convert.trim],
    phone: ['Phone', convert.trim],
    website: ['Website', convert.trim],
    billingAddress: {
      street: ['BillingStreet', convert.trim],
      city: ['BillingCity', convert.trim],
      postcode: ['BillingPostalCode', convert.trim],
      country: ['BillingCountry', countryCode],
    },
    updatedAt: ['LastModifiedDate', convert.sfDateTime],
  },
})

type BusinessPartner = Record<string, unknown>

// The business partner's first address (the standard one, in API_BUSINESS_PARTNER's order).
const address = (partner: BusinessPartner): Record<string, unknown> | undefined => {
  const addresses = partner.to_BusinessPartnerAddress
  const first: unknown = Array.isArray(addresses) ? addresses[0] : undefined
  return typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : undefined
}

/** SAP `A_BusinessPartner` (organisation, read with `to_BusinessPartnerAddress` expanded) → canonical Customer. */
export const customerFromSap = defineMapping({
  name: 'sap.A_BusinessPartner→Customer',
  to: customerSchema,
  fields: {
    sourceIds: { sap: ['BusinessPartner', convert.trim] },
    name: [(partner) => partner.OrganizationBPName1 ?? partner.BusinessPartnerFullName, convert.trim],
    legalName: ['BusinessPartnerFullName', convert.trim],
    billingAddress: {
      street: [(partner) => address(partner)?.StreetName, convert.trim],
      city: [(partner) => address(partner)?.CityName, convert.trim],
      postcode: [(partner) => address(partner)?.PostalCode, convert.trim],
      country: [(partner) => address(partner)?.Country, countryCode],
    },
  },
})

/** ServiceNow `core_company` → canonical Customer (`u_vat_number`, `u_duns` are the instance's custom columns). */
export const customerFromServiceNow = defineMapping({
  name: 'servicenow.core_company→Customer',
  to: customerSchema,
  fields: {
    sourceIds: { servicenow: ['sys_id', convert.sysId] },
    name: ['name', convert.trim],
    taxId: ['u_vat_number', convert.trim],
    duns: ['u_duns', convert.trim],
    phone: ['phone', convert.trim],
    website: ['website', convert.trim],
    billingAddress: {
      street: ['street', convert.trim],
      city: ['city', convert.trim],
      postcode: ['zip', convert.trim],
      country: ['country', countryCode],
    },
    updatedAt: ['sys_updated_on', convert.snDateTime],
  },
})
