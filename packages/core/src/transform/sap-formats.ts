import { isValidDate, parseIsoDate, parseIsoDateTime } from './calendar.js'
import { type Converter, converter } from './converter.js'
import { invalid, type TransformResult, valid } from './transformer.js'

/** An OData V2 `/Date(ms)/` or `/Date(ms±hhmm)/` value taken apart. */
export interface SapDate {
  /** Milliseconds since the epoch, UTC: the instant, whatever the suffix says. */
  ms: number
  /** The suffix, in minutes (the SAP Cloud SDK reads `+0060` as one hour); 0 when absent. */
  offsetMinutes: number
}

/** What the converters do with SAP's 9999-12-31 "no end date": `null` (the default) or keep the date. */
export interface SapDateOptions {
  openEnd?: 'null' | 'keep'
  /** Wire format for write-back: `DateTime` → `/Date(ms)/`, `DateTimeOffset` → `/Date(ms+0000)/`. */
  edmType?: 'DateTime' | 'DateTimeOffset'
}

const SAP_DATE = /^\/Date\((-?\d{1,16})(?:([+-])(\d{4}))?\)\/$/
const MAX_MS = 8.64e15

/** Parses `/Date(1705276800000)/`, `/Date(1525357189000+0000)/` or `/Date(…+0120)/`; `undefined` if malformed. */
export function parseSapDate(text: string): SapDate | undefined {
  const match = SAP_DATE.exec(text)
  if (!match) return undefined
  const [, ticks, sign, offset] = match
  const ms = Number(ticks)
  if (!Number.isSafeInteger(ms) || Math.abs(ms) > MAX_MS) return undefined
  const minutes = offset === undefined ? 0 : Number(offset)
  return { ms, offsetMinutes: sign === '-' ? -minutes : minutes }
}

/** True for SAP's "infinite" date: any time on 9999-12-31 UTC (`/Date(253402214400000)/`). */
export function isSapOpenEnd(date: Date): boolean {
  return date.getUTCFullYear() === 9999 && date.getUTCMonth() === 11 && date.getUTCDate() === 31
}

/**
 * Builds a converter for Edm.DateTime / Edm.DateTimeOffset: the V2 `/Date(…)/` forms, and the ISO-8601
 * forms V4 sends (`2024-03-01T08:30:00Z`, `2024-01-15`). The result is the instant as a `Date`, or `null`
 * for the open-end sentinel unless `openEnd: 'keep'`.
 */
export function sapDate(options: SapDateOptions = {}): Converter<Date | null> {
  const keepOpenEnd = options.openEnd === 'keep'
  const offset = options.edmType === 'DateTimeOffset'
  const name = offset ? 'sapDateTimeOffset' : 'sapDateTime'
  return converter(
    name,
    (value): TransformResult<Date | null> => {
      const date = readSapDate(value)
      if (!date.ok) return date
      return valid(!keepOpenEnd && isSapOpenEnd(date.value) ? null : date.value)
    },
    (value) =>
      isValidDate(value)
        ? valid(`/Date(${value.getTime()}${offset ? '+0000' : ''})/`)
        : invalid(
            'invalid_type',
            `expected a Date to write as Edm.${offset ? 'DateTimeOffset' : 'DateTime'}`,
          ),
  )
}

function readSapDate(value: unknown): TransformResult<Date> {
  if (isValidDate(value)) return valid(value)
  if (typeof value !== 'string')
    return invalid('invalid_type', 'expected a date as text, e.g. "/Date(1705276800000)/"')
  const text = value.trim()
  if (text.startsWith('/Date(')) {
    const parsed = parseSapDate(text)
    return parsed
      ? valid(new Date(parsed.ms))
      : invalid('invalid_format', 'expected "/Date(ms)/" or "/Date(ms+hhmm)/"')
  }
  const date = parseIsoDateTime(text) ?? parseIsoDate(text)
  return date
    ? valid(date)
    : invalid('invalid_format', 'expected "/Date(ms)/" or an ISO-8601 date-time with an offset')
}

/** Edm.DateTime (`/Date(ms)/`) → `Date`; 9999-12-31 → `null`. */
export const sapDateTime: Converter<Date | null> = sapDate()

/** Edm.DateTimeOffset (`/Date(ms+0000)/`) → `Date` (the instant); 9999-12-31 → `null`. */
export const sapDateTimeOffset: Converter<Date | null> = sapDate({ edmType: 'DateTimeOffset' })

const SAP_TIME = /^PT(?:(\d{1,2})H)?(?:(\d{1,2})M)?(?:(\d{1,2})(?:\.(\d{1,9}))?S)?$/
const TIME_OF_DAY = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/

/** Edm.Time `PT13H20M05S` → time of day `"13:20:05"` (fractions kept: `PT1H0M0.5S` → `"01:00:00.5"`). */
export const sapTime: Converter<string> = converter(
  'sapTime',
  (value) => {
    if (typeof value !== 'string')
      return invalid('invalid_type', 'expected an Edm.Time as text, e.g. "PT13H20M05S"')
    const match = SAP_TIME.exec(value.trim())
    if (!match || value.trim() === 'PT')
      return invalid('invalid_format', 'expected an Edm.Time like "PT13H20M05S"')
    const [, h = '0', m = '0', s = '0', fraction] = match
    if (Number(h) > 23 || Number(m) > 59 || Number(s) > 59)
      return invalid('out_of_range', 'expected a time of day')
    const clock = [h, m, s].map((part) => part.padStart(2, '0')).join(':')
    return valid(fraction ? `${clock}.${fraction}` : clock)
  },
  (value) => {
    const match = typeof value === 'string' ? TIME_OF_DAY.exec(value) : null
    if (!match) return invalid('invalid_format', 'expected a time of day like "13:20:05"')
    const [, h, m, s, fraction] = match
    return valid(`PT${h}H${m}M${s}${fraction ? `.${fraction}` : ''}S`)
  },
)
