import {
  convert,
  converter,
  defineMapping,
  isSapOpenEnd,
  productSchema,
  type SalesOrder,
  salesOrderLineSchema,
  salesOrderSchema,
  transformFailure,
  transformSuccess,
} from '@junction/core'
import { z } from 'zod'

/** The issue codes this example adds to core's: what makes an order unusable for a forecast. */
export const ISSUE = {
  /** An order date of 9999-12-31: SAP's "no end date" placeholder, typed where a real date belongs. */
  openEndDate: 'open_end_date',
  /** A negative net amount on a standard order line: a return booked in the wrong place. */
  negativeAmount: 'negative_amount',
} as const

// The connector reads with `openEnd: 'keep'`, so the placeholder arrives as a date and is named here.
const orderDate = converter<Date>('orderDate', (value) => {
  if (!(value instanceof Date)) return transformFailure('invalid_type', 'expected a date')
  return isSapOpenEnd(value)
    ? transformFailure(ISSUE.openEndDate, "9999-12-31 is SAP's placeholder for no date, not an order date")
    : transformSuccess(value)
})

const nonNegative = converter<string>('nonNegative', (value) =>
  typeof value === 'string' && value.trim().startsWith('-')
    ? transformFailure(ISSUE.negativeAmount, 'expected an amount of zero or more')
    : transformSuccess(value as string),
)

const orderLineFromSap = defineMapping({
  name: 'sap.A_SalesOrderItem→SalesOrderLine',
  to: salesOrderLineSchema,
  fields: {
    lineNumber: 'SalesOrderItem',
    product: { sourceIds: { sap: 'Material' } },
    quantity: ['RequestedQuantity', convert.decimal],
    unit: 'RequestedQuantityUnit',
    netAmount: ['NetAmount', convert.decimal, nonNegative],
  },
})

/** The canonical SalesOrder, with the order date a forecast cannot do without made required. */
export const datedSalesOrderSchema = salesOrderSchema.extend({ orderDate: z.date() })

/** SAP A_SalesOrder with its `to_Item` lines → canonical SalesOrder. */
export const salesOrderFromSap = defineMapping({
  name: 'sap.A_SalesOrder→SalesOrder',
  to: datedSalesOrderSchema,
  fields: {
    sourceIds: { sap: 'SalesOrder' },
    number: 'SalesOrder',
    customer: { sourceIds: { sap: 'SoldToParty' } },
    orderDate: ['SalesOrderDate', orderDate],
    status: 'OverallSDProcessStatus',
    currency: 'TransactionCurrency',
    netAmount: ['TotalNetAmount', convert.decimal],
    updatedAt: 'LastChangeDateTime',
    lines: ['to_Item', convert.each(orderLineFromSap)],
  },
})

/** SAP A_Product → canonical Product. */
export const productFromSap = defineMapping({
  name: 'sap.A_Product→Product',
  to: productSchema,
  fields: {
    sourceIds: { sap: 'Product' },
    code: 'Product',
    // A_Product holds no text (that is A_ProductDescription, which the simulator does not serve).
    name: 'Product',
    unit: 'BaseUnit',
    active: (record) => record.IsMarkedForDeletion !== true,
    validFrom: 'CreationDate',
    updatedAt: 'LastChangeDateTime',
  },
})

/**
 * What makes two orders the same order entered twice: the customer, the day, and the same products in
 * the same quantities. The order number is left out on purpose: a double entry gets a new one.
 */
export function sameOrderKey(order: SalesOrder): string | undefined {
  if (order.orderDate === undefined) return undefined
  const lines = order.lines
    .map((line) => `${line.product?.sourceIds?.sap ?? '?'}×${line.quantity}`)
    .sort()
    .join(',')
  return [order.customer?.sourceIds?.sap ?? '?', order.orderDate.toISOString().slice(0, 10), lines].join('|')
}
