import { createHash } from 'node:crypto'
import { canonicalJson, type Product, type SalesOrder } from '@junction/core'
import type { DemandHistory } from './forecast-model.js'
import { monthKey, monthStart } from './seed-data.js'

/** One order line a forecast was computed from: the raw input the audit snapshot hashes. */
export interface DemandLine {
  order: string
  line: string
  /** The order date, `YYYY-MM-DD`. */
  day: string
  quantity: string
}

/** What the model sees for one product, and the evidence of where it came from. */
export interface ProductDemand {
  history: DemandHistory
  /** The order lines summed into the history, in order number then line order. */
  lines: DemandLine[]
  /** SHA-256 of the lines' canonical JSON: recomputable from the synced orders at any later audit. */
  snapshotSha256: string
  /** The orders behind the history (the audit event's `recordIds`). */
  orders: string[]
}

/** SHA-256 (hex) of the canonical JSON of `lines`. */
export function snapshotHash(lines: readonly DemandLine[]): string {
  return createHash('sha256').update(canonicalJson(lines)).digest('hex')
}

/**
 * Monthly demand per active product from the cleaned orders dated in [`from`, `until`): each product's
 * series runs from its first month with a sale to the month before `until`, months without sales as 0.
 * Products with no sale in the window, or marked inactive, get no history.
 */
export function productDemand(
  orders: readonly SalesOrder[],
  products: readonly Product[],
  from: Date,
  until: Date,
): ProductDemand[] {
  const linesOf = new Map<string, DemandLine[]>()
  const sorted = [...orders].sort((a, b) => a.number.localeCompare(b.number, 'en', { numeric: true }))
  for (const order of sorted) {
    const date = order.orderDate
    if (date === undefined || date < from || date >= until) continue
    for (const line of order.lines) {
      const product = line.product?.sourceIds?.sap
      if (product === undefined) continue
      const demandLine = {
        order: order.number,
        line: line.lineNumber,
        day: date.toISOString().slice(0, 10),
        quantity: line.quantity,
      }
      linesOf.set(product, [...(linesOf.get(product) ?? []), demandLine])
    }
  }
  const lastMonth = monthStart(until, -1)
  return products
    .filter((product) => product.active !== false && linesOf.has(product.code))
    .map((product) => {
      const lines = linesOf.get(product.code) as DemandLine[]
      // Summed in thousandths: SAP quantities have three decimals, so the totals stay exact.
      const thousandths = new Map<string, number>()
      for (const line of lines) {
        const month = line.day.slice(0, 7)
        thousandths.set(month, (thousandths.get(month) ?? 0) + Math.round(Number(line.quantity) * 1000))
      }
      const first = monthStart(new Date(`${[...thousandths.keys()].sort()[0]}-01T00:00:00Z`))
      const months: Array<{ month: string; quantity: number }> = []
      for (let month = first; month <= lastMonth; month = monthStart(month, 1)) {
        months.push({ month: monthKey(month), quantity: (thousandths.get(monthKey(month)) ?? 0) / 1000 })
      }
      return {
        history: { product: product.code, unit: product.unit ?? '', months },
        lines,
        snapshotSha256: snapshotHash(lines),
        orders: [...new Set(lines.map((line) => line.order))],
      }
    })
}
