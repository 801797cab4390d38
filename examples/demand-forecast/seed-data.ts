/** How much history the simulated SAP system holds. */
export interface SeedSize {
  /** Products; the last one is new (sold only in the last two months). At least 2. */
  products: number
  /** Full calendar months of sales orders before `asOf`. At least 3. */
  months: number
  /** Clean sales orders per month. At least 2. */
  ordersPerMonth: number
}

/** The seed for the simulator's A_Product and A_SalesOrder / A_SalesOrderItem sets, V2 values. */
export interface SapSeed {
  products: Record<string, unknown>[]
  orders: Record<string, unknown>[]
  items: Record<string, unknown>[]
  /** Order numbers of the rows planted to be dirty, by what is wrong with them. */
  dirty: {
    missingQuantity: string
    openEndDate: string
    negativeAmount: string
    duplicate: { order: string; of: string }
  }
  /** What each product really sold per month (clean rows only), for checking the pipeline. */
  monthlyDemand: Record<string, Record<string, number>>
}

const DAY_MS = 86_400_000
const FIRST_ORDER = 1_000_000
// SAP's "no end date"; here typed into an order date by mistake.
const OPEN_END = new Date('9999-12-31T00:00:00Z')

/** The first instant of the UTC month `offset` months from the month of `date`. */
export function monthStart(date: Date, offset = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1))
}

/** `2026-11` for any instant in November 2026 (UTC). */
export function monthKey(date: Date): string {
  return date.toISOString().slice(0, 7)
}

/** The product numbers of a seed of `count` products. */
export function productCodes(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `FG-${100 + index * 10}`)
}

/** The price per piece of the product at `index`, so amounts are derived, never random. */
const unitPrice = (index: number) => 10 + index * 2.5

/**
 * Monthly demand with a level, a trend and a yearly wave per product: plain arithmetic, so a run is
 * the same on every machine and the forecast can be checked by hand.
 */
function demand(product: number, month: number): number {
  const level = 40 + product * 15
  const trend = ((product % 3) - 1) * 3
  const wave = Math.round(6 * Math.sin((2 * Math.PI * (month + product)) / 12))
  return Math.max(1, level + trend * month + wave)
}

/**
 * A few months of sales orders for `size.products` products, ending the month before `asOf`, plus four
 * planted dirty orders in the last month: an item with no quantity, an order dated 9999-12-31, an item
 * with a negative amount, and a clean order entered twice under a second number.
 */
export function seedSap(size: SeedSize, asOf: Date): SapSeed {
  if (size.products < 2 || size.months < 3 || size.ordersPerMonth < 2)
    throw new RangeError('seedSap: at least 2 products, 3 months and 2 orders per month')
  const codes = productCodes(size.products)
  const firstMonth = monthStart(asOf, -size.months)
  const products = codes.map((code) => ({
    Product: code,
    ProductType: 'FERT',
    BaseUnit: 'PC',
    ProductGroup: 'L001',
    IsMarkedForDeletion: false,
    CreationDate: firstMonth,
    LastChangeDate: firstMonth,
    LastChangeDateTime: new Date(firstMonth.getTime() + 8 * 3_600_000),
  }))
  const orders: Record<string, unknown>[] = []
  const items: Record<string, unknown>[] = []
  const monthlyDemand: Record<string, Record<string, number>> = Object.fromEntries(
    codes.map((code) => [code, {}]),
  )
  const newProduct = size.products - 1
  let number = FIRST_ORDER

  for (let month = 0; month < size.months; month++) {
    const start = monthStart(firstMonth, month)
    const days = (monthStart(firstMonth, month + 1).getTime() - start.getTime()) / DAY_MS
    const sold = Array.from({ length: size.products }, (_, index) => index).filter(
      (index) => index !== newProduct || month >= size.months - 2,
    )
    // Each order carries one or two products; each product's month total is then split over its lines.
    const slots = Array.from({ length: size.ordersPerMonth }, (_, order) =>
      Array.from(
        { length: Math.min(1 + (order % 2), sold.length) },
        (_, line) => sold[(order + line) % sold.length] as number,
      ),
    )
    const lineCount = new Map<number, number>()
    for (const lines of slots)
      for (const product of lines) lineCount.set(product, (lineCount.get(product) ?? 0) + 1)
    const handedOut = new Map<number, number>()
    for (const [order, lines] of slots.entries()) {
      const salesOrder = String(number++)
      const date = new Date(start.getTime() + Math.floor((order * days) / size.ordersPerMonth) * DAY_MS)
      const orderItems = lines.map((product, line) => {
        const total = demand(product, month)
        const count = lineCount.get(product) ?? 1
        const nth = handedOut.get(product) ?? 0
        handedOut.set(product, nth + 1)
        const quantity = Math.floor(total / count) + (nth < total % count ? 1 : 0)
        return {
          SalesOrder: salesOrder,
          SalesOrderItem: String((line + 1) * 10),
          Material: codes[product],
          RequestedQuantity: quantity.toFixed(3),
          RequestedQuantityUnit: 'PC',
          NetAmount: (quantity * unitPrice(product)).toFixed(3),
          ProductionPlant: '1710',
        }
      })
      for (const product of lines) {
        const code = codes[product] as string
        const demandOf = monthlyDemand[code] as Record<string, number>
        demandOf[monthKey(start)] = demand(product, month)
      }
      orders.push(orderHeader(salesOrder, order, date, orderItems))
      items.push(...orderItems)
    }
  }

  // The planted dirty rows, all in the last month.
  const lastMonth = monthStart(asOf, -1)
  // The order typed in twice (below): a clean one of the last month.
  const original = orders.find(
    (order) => (order.SalesOrderDate as Date).getTime() >= lastMonth.getTime(),
  ) as Record<string, unknown>
  const dirtyDate = new Date(lastMonth.getTime() + 3 * DAY_MS)
  const dirtyItem = (salesOrder: string, values: Record<string, unknown>) => ({
    SalesOrder: salesOrder,
    SalesOrderItem: '10',
    Material: codes[0],
    RequestedQuantity: '5.000',
    RequestedQuantityUnit: 'PC',
    NetAmount: (5 * unitPrice(0)).toFixed(3),
    ProductionPlant: '1710',
    ...values,
  })
  const missingQuantity = String(number++)
  const missingItem = dirtyItem(missingQuantity, { RequestedQuantity: null })
  orders.push(orderHeader(missingQuantity, 1, dirtyDate, [missingItem]))
  const openEndDate = String(number++)
  const openEndItem = dirtyItem(openEndDate, {})
  orders.push({ ...orderHeader(openEndDate, 2, dirtyDate, [openEndItem]), SalesOrderDate: OPEN_END })
  const negativeAmount = String(number++)
  const negativeItem = dirtyItem(negativeAmount, { NetAmount: '-50.000' })
  orders.push(orderHeader(negativeAmount, 3, dirtyDate, [negativeItem]))
  items.push(missingItem, openEndItem, negativeItem)

  // The same order typed in twice: a second number, everything else equal.
  const duplicate = String(number++)
  const duplicateItems = items
    .filter((item) => item.SalesOrder === original.SalesOrder)
    .map((item) => ({ ...item, SalesOrder: duplicate }))
  orders.push({
    ...original,
    SalesOrder: duplicate,
    LastChangeDateTime: new Date((original.LastChangeDateTime as Date).getTime() + 3_600_000),
  })
  items.push(...duplicateItems)

  return {
    products,
    orders,
    items,
    dirty: {
      missingQuantity,
      openEndDate,
      negativeAmount,
      duplicate: { order: duplicate, of: String(original.SalesOrder) },
    },
    monthlyDemand,
  }
}

/**
 * Orders entered during the day after `asOf` (for the second night): `count` clean orders numbered
 * after `seed`'s, changed at `changedAt`.
 */
export function laterOrders(
  seed: SapSeed,
  count: number,
  changedAt: Date,
): { orders: Record<string, unknown>[]; items: Record<string, unknown>[] } {
  const next = Math.max(...seed.orders.map((order) => Number(order.SalesOrder))) + 1
  const code = seed.products[0]?.Product as string
  const orders: Record<string, unknown>[] = []
  const items: Record<string, unknown>[] = []
  for (let index = 0; index < count; index++) {
    const salesOrder = String(next + index)
    const item = {
      SalesOrder: salesOrder,
      SalesOrderItem: '10',
      Material: code,
      RequestedQuantity: '4.000',
      RequestedQuantityUnit: 'PC',
      NetAmount: (4 * unitPrice(0)).toFixed(3),
      ProductionPlant: '1710',
    }
    orders.push({ ...orderHeader(salesOrder, index, changedAt, [item]), LastChangeDateTime: changedAt })
    items.push(item)
  }
  return { orders, items }
}

function orderHeader(
  salesOrder: string,
  index: number,
  date: Date,
  items: ReadonlyArray<{ NetAmount: string }>,
): Record<string, unknown> {
  const total = items.reduce((sum, item) => sum + Number(item.NetAmount), 0)
  return {
    SalesOrder: salesOrder,
    SalesOrderType: 'OR',
    SalesOrganization: '1710',
    DistributionChannel: '10',
    OrganizationDivision: '00',
    SoldToParty: String(17_100_001 + (index % 5)),
    PurchaseOrderByCustomer: `PO-${salesOrder}`,
    CreationDate: date,
    SalesOrderDate: date,
    // Entered at 09:00, last touched at 11:00 the same day.
    LastChangeDateTime: new Date(date.getTime() + 11 * 3_600_000),
    TotalNetAmount: total.toFixed(3),
    TransactionCurrency: 'EUR',
    OverallSDProcessStatus: 'C',
  }
}
