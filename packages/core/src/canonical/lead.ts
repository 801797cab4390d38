import { z } from 'zod'
import { canonicalEntity, postalAddressSchema } from './canonical-entity.js'

/** A prospective customer not yet qualified (Salesforce Lead). */
export const leadSchema = canonicalEntity({
  firstName: z.string().optional(),
  lastName: z.string().min(1),
  company: z.string().optional(),
  email: z.email().optional(),
  phone: z.string().optional(),
  /** The system's status value, e.g. `Open - Not Contacted`. */
  status: z.string().optional(),
  source: z.string().optional(),
  rating: z.string().optional(),
  address: postalAddressSchema.optional(),
  createdAt: z.date().optional(),
  convertedAt: z.date().optional(),
})

/** A canonical lead. */
export type Lead = z.infer<typeof leadSchema>
