import { ValidationError } from '@junction/core'
import type { ServiceNowContext } from '../servicenow-context.js'
import { listEnvelopeSchema, readBody } from '../servicenow-responses.js'
import { storedValue } from './wire-values.js'

/**
 * Checks field names against the table's columns when they are known (the `schemas` option, or a
 * `describe` done earlier). The Table API silently ignores an unknown name in a query and returns more
 * rows (sheet §7.3), so by default an unknown name is logged as a warning; `unknownFields: 'error'`
 * refuses the call instead. Dot-walked names are checked on their first part.
 */
export function checkFields(ctx: ServiceNowContext, table: string, fields: readonly string[]): void {
  if (ctx.options.unknownFields === 'off' || fields.length === 0) return
  const known = ctx.state.schemas.get(table) ?? listed(ctx, table)
  if (known === undefined) return
  const unknown = [...new Set(fields.filter((field) => !known.has(field.split('.')[0] ?? field)))]
  if (unknown.length === 0) return
  const message = `servicenow: ${table} has no column ${unknown.map((field) => `"${field}"`).join(', ')}; the instance would ignore it and return more rows`
  if (ctx.options.unknownFields === 'error') {
    throw new ValidationError({ message, system: 'servicenow', entity: table })
  }
  ctx.logger.warn({ system: 'servicenow', table, fields: unknown }, message)
}

function listed(ctx: ServiceNowContext, table: string): ReadonlySet<string> | undefined {
  const columns = ctx.options.schemas?.[table]
  return columns === undefined ? undefined : new Set(columns)
}

/** A column of a table as `sys_dictionary` describes it. */
export interface ColumnDescription {
  name: string
  type: string
  reference?: string | undefined
  label?: string | undefined
}

/** Reads a table's columns from `sys_dictionary` (needs read access to it) and remembers them for the checks. */
export async function describeTable(ctx: ServiceNowContext, table: string): Promise<ColumnDescription[]> {
  const response = await ctx.request({
    path: 'api/now/table/sys_dictionary',
    query: {
      sysparm_query: `name=${table}^elementISNOTEMPTY`,
      sysparm_fields: 'element,internal_type,reference,column_label',
      sysparm_exclude_reference_link: true,
      sysparm_no_count: true,
    },
    responseType: 'json',
  })
  const rows = readBody(listEnvelopeSchema, response).result
  const columns = rows.map((row) => ({
    name: storedValue(row.element),
    type: storedValue(row.internal_type) || 'string',
    reference: storedValue(row.reference) || undefined,
    label: storedValue(row.column_label) || undefined,
  }))
  // Every table has its sys_* columns, even if the dictionary rows for them are not readable.
  const names = new Set([
    'sys_id',
    'sys_created_on',
    'sys_created_by',
    'sys_updated_on',
    'sys_updated_by',
    'sys_mod_count',
  ])
  for (const column of columns) names.add(column.name)
  if (columns.length > 0) ctx.state.schemas.set(table, names)
  return columns
}
