/** Builds a UTC date only when every part is in range (no Feb 30 rolling into March), else `undefined`. */
export function utcDate(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined
  const date = new Date(0)
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as they are.
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, millisecond)
  return date.getUTCDate() === day && date.getUTCMonth() === month - 1 ? date : undefined
}

/** Milliseconds from a fraction of a second given as digits, e.g. `"1234560"` → 123. */
export function fractionToMs(digits: string | undefined): number {
  return digits ? Math.floor(Number(`0.${digits}`) * 1000) : 0
}

/** `YYYY-MM-DD` of a date, in UTC. */
export function formatUtcDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** `YYYY-MM-DD HH:MM:SS` of a date, in UTC (ServiceNow's value format). */
export function formatUtcDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ')
}

/** True for a `Date` that holds a real time (not `new Date('garbage')`). */
export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime())
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/

/**
 * Parses an ISO-8601 date-time that states its offset (`Z`, `+00:00` or Salesforce's `+0000`); a local
 * time without an offset is refused because its instant is unknown.
 */
export function parseIsoDateTime(text: string): Date | undefined {
  const match = ISO_DATE_TIME.exec(text)
  if (!match) return undefined
  const [, y, mo, d, h, mi, s, fraction, zone = 'Z'] = match
  const local = utcDate(
    Number(y),
    Number(mo),
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    fractionToMs(fraction),
  )
  if (!local) return undefined
  const offset = zone === 'Z' ? 0 : offsetMinutes(zone)
  if (offset === undefined) return undefined
  return new Date(local.getTime() - offset * 60_000)
}

/** Parses `YYYY-MM-DD` to midnight UTC. */
export function parseIsoDate(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) return undefined
  const [, y, mo, d] = match
  return utcDate(Number(y), Number(mo), Number(d))
}

function offsetMinutes(zone: string): number | undefined {
  const digits = zone.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = Number(digits.slice(2))
  if (hours > 14 || minutes > 59) return undefined
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes)
}
