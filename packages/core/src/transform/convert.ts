import { decimal, int64, integer } from './decimal.js'
import { each } from './each.js'
import { multiPicklist, picklist } from './picklist.js'
import { sfDate, sfDateTime } from './salesforce-formats.js'
import { salesforceId } from './salesforce-id.js'
import { sapDate, sapDateTime, sapDateTimeOffset, sapTime } from './sap-formats.js'
import { snBoolean, snDate, snDateTime, snDisplayValue, snValue, sysId } from './servicenow-formats.js'
import { boolean, email, guid, lowercase, text, trim } from './text-converters.js'

/**
 * Every built-in converter, for field steps: `['TotalNetAmount', convert.decimal]`. Converters without
 * options are values; `picklist`, `multiPicklist`, `each` and `sapDate` take options and return one.
 * A value missing at the source (absent, `null`, `""`) never reaches a converter: the field is missing.
 */
export const convert = {
  // text and general
  text,
  trim,
  lowercase,
  email,
  boolean,
  guid,
  integer,
  /** Edm.Decimal, currency amounts, ServiceNow numbers → exact decimal text. */
  decimal,
  /** Edm.Int64 → exact integer text. */
  int64,
  picklist,
  multiPicklist,
  each,
  // SAP OData
  sapDate,
  sapDateTime,
  sapDateTimeOffset,
  sapTime,
  // ServiceNow
  snDateTime,
  snDate,
  snBoolean,
  snValue,
  snDisplayValue,
  sysId,
  // Salesforce
  salesforceId,
  sfDate,
  sfDateTime,
} as const
