import type { MatchRecord } from '@junction/core'
import type { SourcedCustomer } from '../read-customers.js'

/** The fields the match rules read, from a canonical customer (the country is ISO after the mappings). */
export function matchRecordOf({ ref, customer }: SourcedCustomer): MatchRecord {
  return {
    ref,
    name: customer.name,
    taxId: customer.taxId,
    duns: customer.duns,
    email: customer.email,
    phone: customer.phone,
    postcode: customer.billingAddress?.postcode,
    country: customer.billingAddress?.country,
  }
}
