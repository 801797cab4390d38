import type { FieldCondition, RawQuery } from '@junction/core'
import { z } from 'zod'
import { buildEncodedQuery, fieldName, rawEncodedQuery, tableName } from '../query/encoded-query.js'
import { queryFields } from '../query/query-fields.js'
import type { ServiceNowContext } from '../servicenow-context.js'
import { readBody } from '../servicenow-responses.js'
import { checkFields } from '../table/field-check.js'

/** An Aggregate API request (sheet §6.1). */
export interface AggregateRequest {
  where?: Readonly<Record<string, FieldCondition>>
  raw?: RawQuery
  /** Count the rows (default true). */
  count?: boolean
  sum?: readonly string[]
  avg?: readonly string[]
  min?: readonly string[]
  max?: readonly string[]
  groupBy?: readonly string[]
}

/** One group's figures; numbers stay exact decimal text as the instance sends them, except `count`. */
export interface AggregateGroup {
  /** The group-by values (empty without grouping); an empty group value is `""`. */
  by: Record<string, string>
  count?: number
  sum?: Record<string, string>
  avg?: Record<string, string>
  min?: Record<string, string>
  max?: Record<string, string>
}

const figures = z.record(z.string(), z.string())
const statsSchema = z.looseObject({
  count: z.string().optional(),
  sum: figures.optional(),
  avg: figures.optional(),
  min: figures.optional(),
  max: figures.optional(),
})
const answerSchema = z.object({
  result: z.union([
    z.object({ stats: statsSchema }),
    z.array(
      z.object({
        stats: statsSchema,
        groupby_fields: z.array(z.object({ field: z.string(), value: z.string() })),
      }),
    ),
  ]),
})

/** `GET /api/now/stats/{table}`: counts, sums, averages, minima and maxima, optionally grouped. */
export async function aggregate(
  ctx: ServiceNowContext,
  table: string,
  request: AggregateRequest,
): Promise<AggregateGroup[]> {
  const query =
    request.raw === undefined ? buildEncodedQuery(request.where).join('^') : rawEncodedQuery(request.raw)
  const list = (fields: readonly string[] | undefined) =>
    fields === undefined || fields.length === 0 ? undefined : fields.map(fieldName).join(',')
  checkFields(ctx, table, [
    ...queryFields(query),
    ...[request.sum, request.avg, request.min, request.max, request.groupBy].flatMap(
      (fields) => fields ?? [],
    ),
  ])
  const response = await ctx.request({
    path: `api/now/stats/${tableName(table)}`,
    query: {
      sysparm_query: query === '' ? undefined : query,
      sysparm_count: request.count ?? true,
      sysparm_sum_fields: list(request.sum),
      sysparm_avg_fields: list(request.avg),
      sysparm_min_fields: list(request.min),
      sysparm_max_fields: list(request.max),
      sysparm_group_by: list(request.groupBy),
    },
    responseType: 'json',
  })
  const { result } = readBody(answerSchema, response, 'an Aggregate API answer')
  const entries = Array.isArray(result) ? result : [{ ...result, groupby_fields: [] }]
  return entries.map(({ stats, groupby_fields }) => ({
    by: Object.fromEntries(groupby_fields.map(({ field, value }) => [field, value])),
    ...(stats.count === undefined ? {} : { count: Number(stats.count) }),
    ...(stats.sum === undefined ? {} : { sum: stats.sum }),
    ...(stats.avg === undefined ? {} : { avg: stats.avg }),
    ...(stats.min === undefined ? {} : { min: stats.min }),
    ...(stats.max === undefined ? {} : { max: stats.max }),
  }))
}
