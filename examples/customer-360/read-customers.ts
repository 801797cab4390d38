import type { Customer, Mapping, SystemRef, TransformIssue } from '@junction/core'
import {
  customerFromSalesforce,
  customerFromSap,
  customerFromServiceNow,
} from './mapping/customer-mappings.js'
import type { SystemName } from './seed/companies.js'
import type { SimulatedSystems } from './simulated-systems.js'

/** A canonical customer and the system record it was read from. */
export interface SourcedCustomer {
  readonly ref: SystemRef & { readonly system: SystemName }
  readonly customer: Customer
}

/** A record its mapping refused, with every issue found (paths, never values). */
export interface RefusedRecord {
  readonly ref: SystemRef & { readonly system: SystemName }
  readonly issues: readonly TransformIssue[]
}

/** What was read from the three systems. */
export interface ReadOutcome {
  readonly customers: readonly SourcedCustomer[]
  readonly refused: readonly RefusedRecord[]
  /** Records read per system, refused ones included. */
  readonly read: Readonly<Record<SystemName, number>>
}

async function readThrough(
  system: SystemName,
  records: AsyncIterable<Record<string, unknown>>,
  idField: string,
  mapping: Mapping<Customer>,
  out: { customers: SourcedCustomer[]; refused: RefusedRecord[] },
): Promise<number> {
  let count = 0
  for await (const record of records) {
    count++
    const result = mapping.transform(record)
    const id = result.ok ? result.value.sourceIds[system] : undefined
    if (result.ok && id !== undefined) {
      out.customers.push({ ref: { system, id }, customer: result.value })
      continue
    }
    out.refused.push({
      ref: { system, id: String(record[idField] ?? '') },
      issues: result.ok
        ? [{ path: ['sourceIds', system], code: 'missing', message: 'no id' }]
        : result.issues,
    })
  }
  return count
}

/**
 * Reads every customer organisation through each system's connector (Salesforce Accounts by SOQL, SAP
 * business partners of category 2 with their addresses expanded, ServiceNow companies flagged
 * `customer`) and maps each to the canonical Customer with core's mappings.
 */
export async function readCustomers(systems: SimulatedSystems): Promise<ReadOutcome> {
  const out = { customers: [] as SourcedCustomer[], refused: [] as RefusedRecord[] }
  const salesforce = await readThrough(
    'salesforce',
    systems.crm.query('Account', {
      select: [
        'Id',
        'Name',
        'Phone',
        'Website',
        'BillingStreet',
        'BillingCity',
        'BillingPostalCode',
        'BillingCountry',
        'DunsNumber',
        'VAT_Number__c',
        'LastModifiedDate',
      ],
      orderBy: [{ field: 'Id' }],
    }),
    'Id',
    customerFromSalesforce,
    out,
  )
  const sap = await readThrough(
    'sap',
    systems.erp.query('A_BusinessPartner', {
      where: { BusinessPartnerCategory: '2' },
      expand: ['to_BusinessPartnerAddress'],
      orderBy: [{ field: 'BusinessPartner' }],
    }),
    'BusinessPartner',
    customerFromSap,
    out,
  )
  const servicenow = await readThrough(
    'servicenow',
    systems.itsm.query('core_company', {
      where: { customer: true },
      select: [
        'sys_id',
        'name',
        'phone',
        'website',
        'street',
        'city',
        'zip',
        'country',
        'u_vat_number',
        'u_duns',
        'sys_updated_on',
      ],
    }),
    'sys_id',
    customerFromServiceNow,
    out,
  )
  return { ...out, read: { salesforce, sap, servicenow } }
}
