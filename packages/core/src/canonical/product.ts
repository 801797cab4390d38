import { z } from 'zod'
import { amountSchema, canonicalEntity, currencyCodeSchema } from './canonical-entity.js'

/** A sellable product or material (Salesforce Product2, SAP material / A_Product). */
export const productSchema = canonicalEntity({
  /** The product number or SKU, kept as text (SAP material numbers have leading zeros). */
  code: z.string().min(1),
  name: z.string().min(1),
  description: z.string().optional(),
  /** Unit of measure, e.g. `PC`, `KG`. */
  unit: z.string().optional(),
  listPrice: amountSchema.optional(),
  currency: currencyCodeSchema.optional(),
  active: z.boolean().optional(),
  validFrom: z.date().optional(),
  /** `null` when the product has no end date (SAP's 9999-12-31). */
  validTo: z.date().nullable().optional(),
})

/** A canonical product. */
export type Product = z.infer<typeof productSchema>
