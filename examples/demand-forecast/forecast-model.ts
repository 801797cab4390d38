/** The model's name in audit events and approval requests. */
export const MODEL_NAME = 'demand-holt'

/** Bumped whenever the method or its constants change, so an audited forecast names what made it. */
export const MODEL_VERSION = '2026.12.1'

/** Holt's smoothing constants: how fast the level and the trend follow the latest month. */
export const SMOOTHING = { level: 0.5, trend: 0.3 } as const

/** One product's demand per calendar month, oldest first, with no month left out (a month without sales is 0). */
export interface DemandHistory {
  product: string
  unit: string
  months: ReadonlyArray<{ month: string; quantity: number }>
}

/** The forecast for one product and one month, as it is submitted for approval and written to SAP. */
export interface DemandForecast {
  product: string
  /** The month forecast, e.g. `2026-12`. */
  period: string
  /** The forecast quantity as decimal text with three places, as SAP quantities are kept. */
  quantity: string
  unit: string
  model: { name: string; version: string }
  /** What the planner looks at: how much history there was and how well the model followed it. */
  basis: {
    months: number
    lastMonth: number
    /** Mean absolute error of the one-month-ahead fits over the history; `null` under three months. */
    meanAbsoluteError: number | null
  }
}

const round3 = (value: number) => Math.round(value * 1000) / 1000

/**
 * Holt's linear exponential smoothing (level + trend), one step ahead: the level starts at the first
 * month and the trend at the first change, then each month moves both toward what was sold. The
 * result is never negative. Pure arithmetic on the history: the same input gives the same forecast, so
 * an audited decision can be recomputed from its recorded input.
 */
export function forecastDemand(history: DemandHistory, period: string): DemandForecast {
  const values = history.months.map((month) => month.quantity)
  const [first] = values
  if (first === undefined) throw new RangeError(`forecastDemand: no history for ${history.product}`)
  let level = first
  let trend = values.length > 1 ? (values[1] as number) - first : 0
  // The fit of month 1 only reproduces it (the trend was started from it), so errors count from month 2.
  const errors: number[] = []
  for (let month = 1; month < values.length; month++) {
    const actual = values[month] as number
    if (month >= 2) errors.push(Math.abs(actual - (level + trend)))
    const previous = level
    level = SMOOTHING.level * actual + (1 - SMOOTHING.level) * (level + trend)
    trend = SMOOTHING.trend * (level - previous) + (1 - SMOOTHING.trend) * trend
  }
  return {
    product: history.product,
    period,
    quantity: round3(Math.max(0, level + trend)).toFixed(3),
    unit: history.unit,
    model: { name: MODEL_NAME, version: MODEL_VERSION },
    basis: {
      months: values.length,
      lastMonth: values.at(-1) as number,
      meanAbsoluteError:
        errors.length === 0 ? null : round3(errors.reduce((sum, error) => sum + error, 0) / errors.length),
    },
  }
}
