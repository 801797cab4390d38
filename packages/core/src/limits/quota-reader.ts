import { headerValue, type JunctionResponse } from '../pipeline/request.js'

/** The quota a system reported on one response. */
export interface QuotaReport {
  used: number
  limit: number
  /** Defaults to `limit - used`. */
  remaining?: number | undefined
  /** When the window resets, if the system says. */
  resetAt?: Date | undefined
}

/** Reads the quota from a response's headers; `undefined` when the response carries none. */
export type QuotaReader = (response: JunctionResponse) => QuotaReport | undefined

const API_USAGE = /(?:^|[\s,;])api-usage=(\d+)\/(\d+)/

/**
 * Salesforce: `Sforce-Limit-Info: api-usage=18/15000` (used/limit of the org's rolling 24-hour
 * allocation, so no reset time). The per-app part (`per-app-api-usage=…`) is not the org's budget.
 */
export const salesforceQuota: QuotaReader = (response) => {
  const match = API_USAGE.exec(headerValue(response.headers, 'sforce-limit-info') ?? '')
  if (match === null) return undefined
  const used = Number(match[1])
  const limit = Number(match[2])
  return { used, limit, remaining: Math.max(0, limit - used) }
}

// Values this large are epoch seconds (ServiceNow, GitHub); smaller ones are seconds from now.
const EPOCH_SECONDS = 1_000_000_000

const integerHeader = (response: JunctionResponse, name: string): number | undefined => {
  const value = headerValue(response.headers, name)?.trim()
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined
}

/**
 * ServiceNow and the common convention: `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
 * `X-RateLimit-Reset` (epoch seconds, or seconds from now when small). ServiceNow sends no
 * `Remaining`: its headers count only once a 429 says nothing remains.
 */
export const rateLimitHeadersQuota: QuotaReader = (response) => {
  const limit = integerHeader(response, 'x-ratelimit-limit')
  if (limit === undefined) return undefined
  const reported = integerHeader(response, 'x-ratelimit-remaining')
  const remaining = reported ?? (response.status === 429 ? 0 : undefined)
  if (remaining === undefined) return undefined
  const reset = integerHeader(response, 'x-ratelimit-reset')
  const resetAt =
    reset === undefined
      ? undefined
      : new Date(reset >= EPOCH_SECONDS ? reset * 1000 : Date.now() + reset * 1000)
  return { used: Math.max(0, limit - remaining), limit, remaining: Math.min(remaining, limit), resetAt }
}
