import { formatUtcDate, isValidDate, parseIsoDate, parseIsoDateTime } from './calendar.js'
import { type Converter, converter } from './converter.js'
import { invalid, valid } from './transformer.js'

/** Salesforce `date` `"2024-05-07"` → `Date` at midnight UTC; a date-time is refused (`invalid_format`). */
export const sfDate: Converter<Date> = converter(
  'sfDate',
  (value) => {
    if (typeof value !== 'string') return invalid('invalid_type', 'expected a date as "YYYY-MM-DD" text')
    const date = parseIsoDate(value.trim())
    return date ? valid(date) : invalid('invalid_format', 'expected a date "YYYY-MM-DD" (not a date-time)')
  },
  (value) => (isValidDate(value) ? valid(formatUtcDate(value)) : invalid('invalid_type', 'expected a Date')),
)

/**
 * Salesforce `datetime` `"2024-05-07T22:07:19.000+0000"` (or `Z`, `+00:00`) → `Date`; a bare date or a
 * time without an offset is refused. Write-back sends ISO-8601 with `Z`, which Salesforce accepts.
 */
export const sfDateTime: Converter<Date> = converter(
  'sfDateTime',
  (value) => {
    if (typeof value !== 'string') return invalid('invalid_type', 'expected a date-time as ISO-8601 text')
    const date = parseIsoDateTime(value.trim())
    return date ? valid(date) : invalid('invalid_format', 'expected an ISO-8601 date-time with an offset')
  },
  (value) => (isValidDate(value) ? valid(value.toISOString()) : invalid('invalid_type', 'expected a Date')),
)
