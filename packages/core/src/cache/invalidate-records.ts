import type { RecordId } from '../connector/connector.js'
import { recordTag } from './cache-keys.js'
import type { CacheStore } from './cache-store.js'

/**
 * Drops every cached read tagged with one of the records, after a write to them succeeded; returns how
 * many entries went. `namespace` is `cacheNamespace(tenant, connection)` of the connector that wrote,
 * and the tags are `recordTag(entity, id)`, the ones its adapter put on its cached reads.
 */
export async function invalidateRecords(
  cache: CacheStore,
  namespace: string,
  entity: string,
  ids: readonly RecordId[],
): Promise<number> {
  const tags = [...new Set(ids.map((id) => `${namespace}:${recordTag(entity, id)}`))]
  const counts = await Promise.all(tags.map((tag) => cache.invalidateTag(tag)))
  return counts.reduce((sum, count) => sum + count, 0)
}
