import type { EntityRecord } from '../../connector/connector.js'

/** The same 40 invoices in the parent test and the child it kills (ledger ids follow insertion order). */
export function crashSeed(): Record<string, EntityRecord[]> {
  return {
    Invoice: Array.from({ length: 40 }, (_, index) => ({
      name: `Invoice ${index + 1}`,
      amount: (index + 1) * 10,
    })),
  }
}
