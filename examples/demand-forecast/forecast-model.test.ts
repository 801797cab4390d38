import { describe, expect, it } from 'vitest'
import { type DemandHistory, forecastDemand, MODEL_NAME, MODEL_VERSION } from './forecast-model.js'

const history = (...quantities: number[]): DemandHistory => ({
  product: 'FG-100',
  unit: 'PC',
  months: quantities.map((quantity, index) => ({
    month: `2026-${String(index + 1).padStart(2, '0')}`,
    quantity,
  })),
})

describe('forecastDemand (Holt linear smoothing)', () => {
  it('forecasts a flat demand as the same quantity, with no fitting error', () => {
    const forecast = forecastDemand(history(50, 50, 50, 50), '2026-05')
    expect(forecast).toMatchObject({
      quantity: '50.000',
      basis: { months: 4, lastMonth: 50, meanAbsoluteError: 0 },
    })
  })

  it('continues a straight-line trend exactly', () => {
    expect(forecastDemand(history(10, 20, 30, 40, 50), '2026-06').quantity).toBe('60.000')
  })

  it('never forecasts below zero for a collapsing demand', () => {
    expect(forecastDemand(history(90, 40, 5), '2026-04').quantity).toBe('0.000')
  })

  it('repeats a single month and reports no fitting error under three months', () => {
    expect(forecastDemand(history(12.5), '2026-02')).toMatchObject({
      quantity: '12.500',
      basis: { months: 1, meanAbsoluteError: null },
    })
    expect(forecastDemand(history(10, 14), '2026-03').basis.meanAbsoluteError).toBeNull()
  })

  it('follows a change of level only part of the way, by its smoothing constants', () => {
    // level 10 → 15 (α 0.5), trend 0 → 1.5 (β 0.3): 16.5.
    expect(forecastDemand(history(10, 10, 20), '2026-04').quantity).toBe('16.500')
  })

  it('names the model and its version on every forecast', () => {
    expect(forecastDemand(history(1, 2, 3), '2026-04').model).toEqual({
      name: MODEL_NAME,
      version: MODEL_VERSION,
    })
  })

  it('refuses an empty history', () => {
    expect(() => forecastDemand(history(), '2026-01')).toThrow(RangeError)
  })
})
