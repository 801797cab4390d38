import type { DemandForecast } from './forecast-model.js'

/** Fewer months than this and a trend is a guess: the simulated planner sends the forecast back. */
export const MIN_HISTORY_MONTHS = 3

/** What the (simulated) planner decided about one forecast, and why. */
export interface PlannerDecision {
  decision: 'approve' | 'reject'
  note: string
}

/**
 * Stands in for the human planner, who would review each forecast in a planning UI: this one rejects a
 * forecast built on less than `MIN_HISTORY_MONTHS` months of sales and approves the rest. The approval
 * gate, the audit events and the write-back are the real ones; only the judgement is scripted.
 */
export function simulatedPlanner(forecast: DemandForecast): PlannerDecision {
  if (forecast.basis.months < MIN_HISTORY_MONTHS) {
    return {
      decision: 'reject',
      note: `only ${forecast.basis.months} months of history; planning ${forecast.period} by hand`,
    }
  }
  return { decision: 'approve', note: `checked against last month (${forecast.basis.lastMonth})` }
}
