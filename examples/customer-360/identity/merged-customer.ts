import { type Customer, customerSchema, type IdentityEntity, type SystemRef } from '@junction/core'
import type { SourcedCustomer } from '../read-customers.js'
import type { SystemName } from '../seed/companies.js'

/** The fields the merged view fills, each from one record. */
export type MergedField = 'name' | 'legalName' | 'taxId' | 'duns' | 'phone' | 'website' | 'billingAddress'

/**
 * Which system's value wins, field by field: the CRM owns how the customer is addressed and reached,
 * the ERP owns the legal entity and where invoices go; ServiceNow fills what neither holds.
 */
export const SURVIVORSHIP: Readonly<Record<MergedField, readonly SystemName[]>> = {
  name: ['salesforce', 'servicenow', 'sap'],
  legalName: ['sap', 'salesforce', 'servicenow'],
  taxId: ['sap', 'salesforce', 'servicenow'],
  duns: ['sap', 'salesforce', 'servicenow'],
  phone: ['salesforce', 'servicenow', 'sap'],
  website: ['salesforce', 'servicenow', 'sap'],
  billingAddress: ['sap', 'salesforce', 'servicenow'],
}

/** One real-world customer: its ids in each system, the merged canonical record and where each field came from. */
export interface MergedCustomer {
  readonly canonicalId: string
  readonly ids: Readonly<Partial<Record<SystemName, string>>>
  readonly customer: Customer
  /** The record each merged field was taken from. */
  readonly sources: Readonly<Partial<Record<MergedField, SystemRef>>>
}

/** Merges the canonical customers of each entity, field by field, by `SURVIVORSHIP`. */
export function mergeCustomers(
  customers: readonly SourcedCustomer[],
  entities: readonly IdentityEntity[],
): MergedCustomer[] {
  const byEntity = new Map<string, SourcedCustomer[]>()
  for (const [index, sourced] of customers.entries()) {
    const canonicalId = entities[index]?.canonicalId
    if (canonicalId === undefined) continue
    const members = byEntity.get(canonicalId) ?? []
    members.push(sourced)
    byEntity.set(canonicalId, members)
  }
  return [...byEntity].map(([canonicalId, members]) => {
    const ids: Partial<Record<SystemName, string>> = {}
    for (const member of members) ids[member.ref.system] ??= member.ref.id
    const sources: Partial<Record<MergedField, SystemRef>> = {}
    const merged: Record<string, unknown> = { id: canonicalId, sourceIds: ids }
    for (const [field, order] of Object.entries(SURVIVORSHIP) as [MergedField, readonly SystemName[]][]) {
      for (const system of order) {
        const member = members.find((candidate) => candidate.ref.system === system)
        const value = member?.customer[field]
        if (member === undefined || value === undefined) continue
        merged[field] = value
        sources[field] = member.ref
        break
      }
    }
    return { canonicalId, ids, customer: customerSchema.parse(merged), sources }
  })
}
