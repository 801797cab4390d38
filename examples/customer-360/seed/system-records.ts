import { createHash } from 'node:crypto'
import { ConfigError, type SystemRef, toSalesforceId18 } from '@junction/core'
import {
  COMPANIES,
  NAMELESS_COMPANY,
  type SeedCompany,
  type SeedRecord,
  type SystemName,
} from './companies.js'

/** Each system's seed in its own shape, and the ground truth: which records are one company. */
export interface SystemSeeds {
  /** Salesforce `Account` records. */
  readonly accounts: Record<string, unknown>[]
  /** SAP `A_BusinessPartner` records (organisations) and their `A_BusinessPartnerAddress` rows. */
  readonly businessPartners: Record<string, unknown>[]
  readonly businessPartnerAddresses: Record<string, unknown>[]
  /** ServiceNow `core_company` rows (every value a string, as the Table API holds them). */
  readonly companies: Record<string, string>[]
  /** Ground truth: the records of each company, by its key. */
  readonly truth: ReadonlyMap<string, readonly SystemRef[]>
  /** The record the mappings must refuse. */
  readonly invalid: SystemRef
}

// Fixed ids, so a run against a persistent (Redis) identity store meets the same records again.
const salesforceId = (index: number): string => {
  const id = toSalesforceId18(`001Dn00000${String(index + 1).padStart(5, '0')}`)
  if (id === undefined) throw new ConfigError({ message: `seed: no Salesforce id for index ${index}` })
  return id
}
const sapPartner = (index: number): string => String(1_000_101 + index)
const sysId = (key: string): string => createHash('md5').update(`core_company:${key}`).digest('hex')

const account = (id: string, record: SeedRecord): Record<string, unknown> => ({
  Id: id,
  Name: record.name,
  Phone: record.phone ?? null,
  Website: record.website ?? null,
  BillingStreet: record.street ?? null,
  BillingCity: record.city ?? null,
  BillingPostalCode: record.postcode,
  BillingCountry: record.country,
  DunsNumber: record.duns ?? null,
  // A custom field: Salesforce has no standard VAT number on Account.
  VAT_Number__c: record.taxId ?? null,
})

const company = (id: string, record: SeedRecord): Record<string, string> => ({
  sys_id: id,
  name: record.name,
  phone: record.phone ?? '',
  street: record.street ?? '',
  city: record.city ?? '',
  zip: record.postcode,
  country: record.country,
  website: record.website ?? '',
  customer: 'true',
  // Custom columns: core_company has neither out of the box.
  u_vat_number: record.taxId ?? '',
  u_duns: record.duns ?? '',
})

/** Builds the three systems' seeds from `companies` (default the example's forty). */
export function systemSeeds(companies: readonly SeedCompany[] = COMPANIES): SystemSeeds {
  const accounts: Record<string, unknown>[] = []
  const businessPartners: Record<string, unknown>[] = []
  const businessPartnerAddresses: Record<string, unknown>[] = []
  const rows: Record<string, string>[] = []
  const truth = new Map<string, SystemRef[]>()
  const add = (key: string, system: SystemName, id: string): void => {
    const refs = truth.get(key) ?? []
    refs.push({ system, id })
    truth.set(key, refs)
  }
  for (const entry of companies) {
    if (entry.salesforce) {
      const id = salesforceId(accounts.length)
      accounts.push(account(id, entry.salesforce))
      add(entry.key, 'salesforce', id)
    }
    if (entry.sap) {
      const id = sapPartner(businessPartners.length)
      businessPartners.push({
        BusinessPartner: id,
        BusinessPartnerCategory: '2',
        OrganizationBPName1: entry.sap.name,
        BusinessPartnerFullName: entry.sap.name,
      })
      businessPartnerAddresses.push({
        BusinessPartner: id,
        AddressID: String(businessPartnerAddresses.length + 1),
        StreetName: entry.sap.street ?? null,
        CityName: entry.sap.city ?? null,
        PostalCode: entry.sap.postcode,
        Country: entry.sap.country,
      })
      add(entry.key, 'sap', id)
    }
    if (entry.servicenow) {
      const id = sysId(entry.key)
      rows.push(company(id, entry.servicenow))
      add(entry.key, 'servicenow', id)
    }
  }
  const invalidId = sysId('nameless')
  rows.push(company(invalidId, NAMELESS_COMPANY))
  return {
    accounts,
    businessPartners,
    businessPartnerAddresses,
    companies: rows,
    truth,
    invalid: { system: 'servicenow', id: invalidId },
  }
}
