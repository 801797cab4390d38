import { type Change, type ChangesOptions, type EntityRecord, ValidationError } from '@junction/core'
import { decodeCursor, encodeCursor, Watermark } from './changes/watermark-cursor.js'
import type { EntitySetInfo } from './metadata/service-metadata.js'
import { keyText, propertyName } from './odata/odata-literal.js'
import { entitySet, type SapContext } from './sap-context.js'
import { MAX_PAGE_SIZE } from './sap-options.js'
import { queryWindow, type SapQuery } from './sap-read.js'

const DAY_MS = 86_400_000

/**
 * Changed records oldest first, from `LastChangeDateTime` watermarks (sheet §8): `A_SalesOrder`,
 * `A_Product` and V4 sets filter `LastChangeDateTime ge …`; `A_BusinessPartner`, which has only
 * `LastChangeDate` + `LastChangeTime`, filters by day and orders by date, time and key. The read always
 * overlaps the watermark by `changesOverlapMs` for late commits, and drops what the cursor already
 * saw. Deletions are invisible to polling (sheet §8): only `upsert` changes come out.
 */
export async function* readChanges(
  ctx: SapContext,
  entity: string,
  options: ChangesOptions,
): AsyncIterable<Change> {
  const set = await entitySet(ctx, propertyName(entity))
  if (set === undefined) throw noWatermark(entity, 'its $metadata is not available')
  const field = watermarkField(set)
  const start =
    options.cursor !== undefined
      ? decodeCursor(options.cursor)
      : { v: 1 as const, at: options.since?.getTime() ?? 0, recent: [] }
  const watermark = new Watermark(start, ctx.options.changesOverlapMs)
  const pageSize = Math.min(options.pageSize ?? ctx.options.pageSize, MAX_PAGE_SIZE)
  let from = filterFrom(field, watermark.from)
  let offset = 0
  for (;;) {
    let count = 0
    let last: number | undefined
    for await (const record of queryWindow(
      ctx,
      entity,
      windowQuery(field, from, set),
      set,
      offset,
      pageSize,
    )) {
      count++
      const changedAt = changeTime(record, field)
      if (changedAt === undefined) continue
      last = changedAt
      const id = keyText(Object.fromEntries(set.keys.map((key) => [key, String(record[key])])))
      if (!watermark.see(id, changedAt)) continue
      yield {
        kind: 'upsert',
        id,
        record,
        changedAt: new Date(changedAt),
        cursor: encodeCursor(watermark.cursor()),
      }
    }
    if (count < pageSize) return
    // Keyset paging: the next window starts at the last change time seen, so a record that changes while
    // the read runs cannot push another out of a `$skip` window. Only a window that made no progress
    // (all one change time, or one day for partners) moves on by offset; repeats are dropped by the watermark.
    const next = filterFrom(field, last ?? from)
    offset = next === from ? offset + count : 0
    from = next
  }
}

// The lower bound the filter can express: the instant, or for partners its UTC day.
function filterFrom(field: WatermarkField, ms: number): number {
  const from = Math.max(ms, 0)
  return field === 'LastChangeDateTime' ? from : Math.floor(from / DAY_MS) * DAY_MS
}

function windowQuery(field: WatermarkField, from: number, set: EntitySetInfo): SapQuery {
  const keys = set.keys.map((key) => ({ field: key, direction: 'asc' as const }))
  return field === 'LastChangeDateTime'
    ? { where: { LastChangeDateTime: { gte: new Date(from) } }, orderBy: [{ field }, ...keys] }
    : {
        where: { LastChangeDate: { gte: new Date(from) } },
        orderBy: [{ field: 'LastChangeDate' }, { field: 'LastChangeTime' }, ...keys],
      }
}

type WatermarkField = 'LastChangeDateTime' | 'LastChangeDate'

function watermarkField(set: EntitySetInfo): WatermarkField {
  const type = set.properties.get('LastChangeDateTime')?.type
  if (type === 'Edm.DateTimeOffset' || type === 'Edm.DateTime') return 'LastChangeDateTime'
  if (set.properties.has('LastChangeDate') && set.properties.has('LastChangeTime')) return 'LastChangeDate'
  throw noWatermark(set.name, 'it has neither LastChangeDateTime nor LastChangeDate + LastChangeTime')
}

function changeTime(
  record: EntityRecord,
  field: 'LastChangeDateTime' | 'LastChangeDate',
): number | undefined {
  const at = record[field]
  if (!(at instanceof Date)) return undefined
  if (field === 'LastChangeDateTime') return at.getTime()
  const time = /^(\d{2}):(\d{2}):(\d{2})/.exec(String(record.LastChangeTime ?? ''))
  const offset = time === null ? 0 : (Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3])) * 1000
  return at.getTime() + offset
}

function noWatermark(entity: string, why: string): ValidationError {
  return new ValidationError({
    message: `sap changes: ${entity} cannot be read incrementally: ${why}`,
    system: 'sap',
    operation: 'changes',
    entity,
  })
}
