import { call, type SalesforceContext, type SObjectDescribe } from '../salesforce-context.js'
import { describeSchema, limitsSchema, readBody } from '../salesforce-responses.js'
import { apiName } from '../soql.js'

/**
 * `GET sobjects/{name}/describe`, kept for `describeTtlMs`. Concurrent callers share one request, and
 * a failed describe is not kept, so the next call asks again.
 */
export function describe(ctx: SalesforceContext, entity: string): Promise<SObjectDescribe> {
  const key = apiName(entity).toLowerCase()
  const now = Date.now()
  const cached = ctx.state.describes.get(key)
  if (cached !== undefined && cached.expiresAt > now) return cached.value
  const value = call(ctx, { path: `sobjects/${apiName(entity)}/describe` }).then(
    (response) => readBody(describeSchema, response) as SObjectDescribe,
  )
  const entry = { expiresAt: now + ctx.options.describeTtlMs, value }
  ctx.state.describes.set(key, entry)
  value.catch(() => {
    if (ctx.state.describes.get(key) === entry) ctx.state.describes.delete(key)
  })
  return value
}

/** Names of the `date` fields of an sObject: a `Date` compared with them is written as a date literal. */
export async function dateFields(ctx: SalesforceContext, entity: string): Promise<ReadonlySet<string>> {
  const described = await describe(ctx, entity)
  return new Set(described.fields.filter((field) => field.type === 'date').map((field) => field.name))
}

/** `GET limits`: the org's allocations, each `{Max, Remaining}`. */
export async function limits(
  ctx: SalesforceContext,
): Promise<Record<string, { Max: number; Remaining: number }>> {
  return readBody(limitsSchema, await call(ctx, { path: 'limits' }))
}
