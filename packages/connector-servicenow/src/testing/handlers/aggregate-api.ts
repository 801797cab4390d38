import { parseEncodedQuery } from '../encoded-query-parser.js'
import type { ServiceNowTables, StoredRow } from '../servicenow-tables.js'
import { json } from './sim-response.js'

type Aggregate = 'avg' | 'sum' | 'min' | 'max'
const AGGREGATES: readonly Aggregate[] = ['avg', 'sum', 'min', 'max']

/**
 * `GET /api/now/stats/{table}` (sheet §6.1): count, avg / sum / min / max by field, group by. Every
 * number is a string, averages have 4 decimals; without grouping the result is one object, grouped
 * it is an array with `groupby_fields`. `sysparm_having` and `sysparm_order_by` are not simulated.
 */
export function aggregateApi(tables: ServiceNowTables, request: Request, table: string): Response {
  const params = new URL(request.url).searchParams
  const rows = tables
    .query(table, parseEncodedQuery(params.get('sysparm_query') ?? ''))
    .filter((row) => !tables.hidden(table, row))
  const list = (name: string) => (params.get(name) ?? '').split(',').filter(Boolean)
  const groupBy = list('sysparm_group_by')
  const stats = (group: readonly StoredRow[]) => {
    const result: Record<string, unknown> = {}
    if (params.get('sysparm_count') === 'true') result.count = String(group.length)
    for (const aggregate of AGGREGATES) {
      const fields = list(`sysparm_${aggregate}_fields`)
      if (fields.length === 0) continue
      result[aggregate] = Object.fromEntries(
        fields.map((field) => [
          field,
          compute(
            aggregate,
            group.map((row) => tables.value(table, row, field)),
          ),
        ]),
      )
    }
    return result
  }
  if (groupBy.length === 0) return json(200, { result: { stats: stats(rows) } })
  const groups = new Map<string, StoredRow[]>()
  for (const row of rows) {
    const key = JSON.stringify(groupBy.map((field) => tables.value(table, row, field)))
    groups.set(key, [...(groups.get(key) ?? []), row])
  }
  return json(200, {
    result: [...groups].map(([key, group]) => ({
      stats: stats(group),
      groupby_fields: (JSON.parse(key) as string[]).map((value, index) => ({ field: groupBy[index], value })),
    })),
  })
}

function compute(aggregate: Aggregate, values: readonly string[]): string {
  const present = values.filter((value) => value !== '')
  if (aggregate === 'min' || aggregate === 'max') {
    const numeric = present.every((value) => /^-?\d+(\.\d+)?$/.test(value))
    const sorted = [...present].sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0))
    return (aggregate === 'min' ? sorted[0] : sorted.at(-1)) ?? ''
  }
  const sum = present.reduce((total, value) => total + Number(value), 0)
  if (aggregate === 'sum') return String(sum)
  return present.length === 0 ? '' : (sum / present.length).toFixed(4)
}
