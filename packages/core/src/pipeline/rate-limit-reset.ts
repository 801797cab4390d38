/** Reset headers read when an adapter names none: the common `X-RateLimit-Reset` and the IETF draft's. */
export const DEFAULT_RESET_HEADERS: readonly string[] = [
  'x-ratelimit-reset',
  'ratelimit-reset',
  'x-rate-limit-reset',
]

// A number this large is a clock reading, not a wait: 1e9 seconds is 31 years as a window, and as a
// Unix time it is 2001-09-09, before any response this code will read. 1e12 is the same in milliseconds.
const EPOCH_SECONDS_FROM = 1e9
const EPOCH_MILLISECONDS_FROM = 1e12

/**
 * When a rate-limit window frees, from a reset header such as `X-RateLimit-Reset`. Systems disagree on
 * the unit, so a number is read by size: from 1e12 on as Unix milliseconds, from 1e9 on as Unix seconds
 * (GitHub, ServiceNow), below that as seconds from now (the IETF `RateLimit-Reset`); anything else is
 * tried as an HTTP-date. Returns `undefined` for a missing or unreadable value.
 */
export function parseRateLimitReset(value: string | undefined, now: number = Date.now()): Date | undefined {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const number = Number(trimmed)
    if (number >= EPOCH_MILLISECONDS_FROM) return new Date(Math.round(number))
    if (number >= EPOCH_SECONDS_FROM) return new Date(Math.round(number * 1000))
    return new Date(now + Math.round(number * 1000))
  }
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : new Date(date)
}
