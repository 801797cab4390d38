import { z } from 'zod'
import { decimalStringSchema } from '../transform/decimal.js'

/** Ids of one entity per system, e.g. `{ salesforce: '001…AAG', sap: '1000123' }`. */
export const sourceIdsSchema = z.record(z.string().min(1), z.string().min(1))

/** A link to another entity by any of its ids, with its name for display. */
export const entityRefSchema = z.object({
  id: z.string().min(1).optional(),
  sourceIds: sourceIdsSchema.optional(),
  name: z.string().optional(),
})

/** A postal address; `country` is ISO 3166-1 alpha-2 where the system knows it, else as given. */
export const postalAddressSchema = z.object({
  street: z.string().optional(),
  city: z.string().optional(),
  region: z.string().optional(),
  postcode: z.string().optional(),
  country: z.string().optional(),
})

/** An ISO 4217 currency code, e.g. `EUR`. */
export const currencyCodeSchema = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code like "EUR"')

/** An exact amount as decimal text (never a float), e.g. `"1250.500"`. */
export const amountSchema = decimalStringSchema

/**
 * Builds a canonical model: the caller's fields plus the ones every canonical entity has (`id` from the
 * identity resolver, `sourceIds` per system, `updatedAt`). This is how teams add their own models.
 *
 * @example
 * // vehicle.ts, in a team's package
 * export const vehicleSchema = canonicalEntity({
 *   vin: z.string().length(17),
 *   model: z.string().optional(),
 *   listPrice: amountSchema.optional(),
 *   currency: currencyCodeSchema.optional(),
 *   registeredAt: z.date().optional(),
 * })
 * export type Vehicle = z.infer<typeof vehicleSchema>
 * // then: defineMapping({ to: vehicleSchema, fields: { vin: ['VIN__c', convert.trim], ... } })
 */
export function canonicalEntity<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object({
    /** The canonical id, once the identity resolver has linked the record. */
    id: z.string().min(1).optional(),
    sourceIds: sourceIdsSchema.default({}),
    updatedAt: z.date().optional(),
    ...shape,
  })
}

/** A postal address. */
export type PostalAddress = z.infer<typeof postalAddressSchema>
/** A link to another entity. */
export type EntityRef = z.infer<typeof entityRefSchema>
/** Ids per system. */
export type SourceIds = z.infer<typeof sourceIdsSchema>
