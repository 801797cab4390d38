import { z } from 'zod'
import { amountSchema, canonicalEntity, currencyCodeSchema, entityRefSchema } from './canonical-entity.js'

/** One line of a sales order; quantities and amounts are exact decimal text. */
export const salesOrderLineSchema = z.object({
  /** The line's number in its order, as the system numbers it (SAP `10`, `20`…). */
  lineNumber: z.string().min(1),
  product: entityRefSchema.optional(),
  description: z.string().optional(),
  quantity: amountSchema,
  unit: z.string().optional(),
  unitPrice: amountSchema.optional(),
  netAmount: amountSchema.optional(),
})

/** A sales order with its lines (SAP A_SalesOrder with to_Item, Salesforce Order with OrderItems). */
export const salesOrderSchema = canonicalEntity({
  number: z.string().min(1),
  customer: entityRefSchema.optional(),
  orderDate: z.date().optional(),
  requestedDeliveryDate: z.date().optional(),
  status: z.string().optional(),
  currency: currencyCodeSchema.optional(),
  netAmount: amountSchema.optional(),
  taxAmount: amountSchema.optional(),
  totalAmount: amountSchema.optional(),
  lines: z.array(salesOrderLineSchema).default([]),
})

/** A canonical sales order line. */
export type SalesOrderLine = z.infer<typeof salesOrderLineSchema>
/** A canonical sales order. */
export type SalesOrder = z.infer<typeof salesOrderSchema>
