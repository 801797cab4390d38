import { z } from 'zod'
import { canonicalEntity, currencyCodeSchema, postalAddressSchema } from './canonical-entity.js'

/** A customer organisation (Salesforce Account, SAP Business Partner, ServiceNow company / account). */
export const customerSchema = canonicalEntity({
  name: z.string().min(1),
  legalName: z.string().optional(),
  /** Tax or VAT number, as the system holds it. */
  taxId: z.string().optional(),
  duns: z.string().optional(),
  email: z.email().optional(),
  phone: z.string().optional(),
  website: z.string().optional(),
  industry: z.string().optional(),
  billingAddress: postalAddressSchema.optional(),
  shippingAddress: postalAddressSchema.optional(),
  currency: currencyCodeSchema.optional(),
  active: z.boolean().optional(),
  createdAt: z.date().optional(),
})

/** A canonical customer. */
export type Customer = z.infer<typeof customerSchema>
