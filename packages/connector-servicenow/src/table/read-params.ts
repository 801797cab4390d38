import type { QueryParamValue } from '@junction/core'
import type { ServiceNowSettings } from '../servicenow-context.js'

/** The value-shape parameters of every Table API read and write (sheet §2.3). */
export function shapeParams(options: ServiceNowSettings): Record<string, QueryParamValue> {
  return {
    sysparm_display_value: options.displayValue,
    sysparm_exclude_reference_link: options.excludeReferenceLink,
  }
}
