import { z } from 'zod'
import { canonicalEntity, entityRefSchema, postalAddressSchema } from './canonical-entity.js'

/** A person at a customer (Salesforce Contact, SAP contact person, ServiceNow customer contact / user). */
export const contactSchema = canonicalEntity({
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  /** The full name as shown; systems that split names fill first and last too. */
  name: z.string().min(1),
  email: z.email().optional(),
  phone: z.string().optional(),
  mobile: z.string().optional(),
  title: z.string().optional(),
  customer: entityRefSchema.optional(),
  address: postalAddressSchema.optional(),
  createdAt: z.date().optional(),
})

/** A canonical contact. */
export type Contact = z.infer<typeof contactSchema>
